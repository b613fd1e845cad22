"""Outbound webhooks (Standard Webhooks): subscriptions, the events they
receive, and the deliverer that reads the event log and sends them."""
