// planforge pages: sortable and filterable tables, plotly figures.
"use strict";

function cellValue(row, index, numeric) {
  const cell = row.cells[index];
  const raw = cell.dataset.value !== undefined ? cell.dataset.value : cell.textContent.trim();
  if (!numeric) return raw.toLowerCase();
  const number = parseFloat(raw);
  return Number.isNaN(number) ? -Infinity : number;
}

function sortBy(table, button) {
  const header = button.closest("th");
  const index = Array.from(header.parentNode.children).indexOf(header);
  const numeric = button.dataset.type === "number";
  const ascending = button.getAttribute("aria-sort") !== "ascending";
  table.querySelectorAll("th button").forEach((b) => b.removeAttribute("aria-sort"));
  button.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  const body = table.tBodies[0];
  const rows = Array.from(body.rows);
  rows.sort((a, b) => {
    const x = cellValue(a, index, numeric);
    const y = cellValue(b, index, numeric);
    return (x < y ? -1 : x > y ? 1 : 0) * (ascending ? 1 : -1);
  });
  rows.forEach((row) => body.appendChild(row));
}

document.querySelectorAll("table.sortable").forEach((table) => {
  table.querySelectorAll("th button").forEach((button) => {
    button.addEventListener("click", () => sortBy(table, button));
  });
});

document.querySelectorAll("input[data-filter]").forEach((input) => {
  const table = document.getElementById(input.dataset.filter);
  input.addEventListener("input", () => {
    const wanted = input.value.trim().toLowerCase();
    Array.from(table.tBodies[0].rows).forEach((row) => {
      row.hidden = wanted !== "" && !row.textContent.toLowerCase().includes(wanted);
    });
  });
});

const figures = document.getElementById("figures");
if (figures && window.Plotly) {
  const specs = JSON.parse(figures.textContent);
  document.querySelectorAll("[data-figure]").forEach((element) => {
    const spec = specs[element.dataset.figure];
    window.Plotly.newPlot(element, spec.data, spec.layout, {
      responsive: true, displaylogo: false, modeBarButtonsToRemove: ["toImage"],
    });
  });
}

function showError(form, text) {
  const output = form.querySelector("output.error");
  output.textContent = text;
  output.hidden = false;
}

async function detail(response) {
  try {
    return (await response.json()).detail || response.statusText;
  } catch (error) {
    return response.statusText;
  }
}

// Sign in: the token buys a session cookie (HttpOnly) at /auth/session.
const login = document.getElementById("login");
if (login) {
  login.addEventListener("submit", async (event) => {
    event.preventDefault();
    const token = new FormData(login).get("token");
    const response = await fetch("/auth/session", {
      method: "POST", headers: {"Content-Type": "application/json"},
      body: JSON.stringify({token: token}),
    });
    if (response.ok) window.location.assign(login.dataset.next);
    else showError(login, await detail(response));
  });
}

// Changes made with the session cookie carry its CSRF token as a header.
const csrf = document.querySelector('meta[name="csrf-token"]');
function csrfHeaders() {
  return csrf ? {"X-CSRF-Token": csrf.content} : {};
}

document.querySelectorAll("form[data-send-csrf]").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const response = await fetch(form.action, {
      method: "POST", headers: csrfHeaders(),
      body: new URLSearchParams(new FormData(form)),
    });
    if (response.ok && response.redirected) window.location.assign(response.url);
    else if (response.ok) window.location.reload();
    else showError(form, await detail(response));
  });
});

const signOut = document.getElementById("sign-out");
if (signOut) {
  signOut.addEventListener("click", async () => {
    await fetch("/auth/session", {method: "DELETE", headers: csrfHeaders()});
    window.location.assign("/ui/login");
  });
}
