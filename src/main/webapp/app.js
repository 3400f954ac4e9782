// Progressive enhancement of the home page: with JavaScript on, each button sends its POST to the JSON API and the
// number updates in place; without it, the same buttons are plain forms that POST and come back to the page.
"use strict";

document.querySelectorAll("form[data-api]").forEach((form) => {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const output = document.getElementById(form.dataset.api.includes("/session/") ? "session" : "global");
    const status = document.getElementById("status");
    const button = form.querySelector("button");
    // One request at a time per button. Not button.disabled: disabling the focused button would throw the keyboard
    // focus back to the top of the page.
    if (button.getAttribute("aria-busy") === "true") {
      return;
    }
    button.setAttribute("aria-busy", "true");
    try {
      const response = await fetch(form.dataset.api, {
        method: "POST",
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      const body = await response.json();
      if (!response.ok) {
        throw new Error(body.detail || response.statusText);
      }
      output.textContent = body.value;
      status.textContent = "";
    } catch (error) {
      status.textContent = "Could not update: " + error.message;
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
});
