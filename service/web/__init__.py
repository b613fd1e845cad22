"""Pages for people, under /ui/: the portfolio, a project's Gantt, forecast,
resources, scenarios and history.

Routes (`routes.py`) read through the use cases and render Jinja2 templates
(`templates/`); charts are SVG built with drawsvg (`gantt.py`, `timescale.py`)
or plotly figures drawn by the plotly.js that ships inside the plotly package
(`charts.py`), served by the app with the static assets (`static/`). No page
loads anything from another host.
"""
