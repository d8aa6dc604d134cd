/* SIA – the live call-in banner (the project's own script; pages work without it).
 *
 * Polls the call-in endpoint every few seconds and shows open calls to the signed-in
 * guide in the banner's live region, with "Jag kommer" / "Kan inte komma". Answers are
 * posted in the background. On the first-visit page it also updates the status of the
 * calls the social worker made. Without JavaScript the server renders the same banner.
 */
(function () {
  "use strict";

  var POLL_MS = 3000;
  var banner = document.getElementById("guide-call-banner");
  var template = document.getElementById("guide-call-template");
  if (!banner || !template || !window.fetch || !window.FormData) {
    return;
  }
  var pollUrl = banner.getAttribute("data-poll-url");

  function itemFor(id) {
    var items = banner.querySelectorAll("[data-call-id]");
    for (var i = 0; i < items.length; i += 1) {
      if (items[i].getAttribute("data-call-id") === id) {
        return items[i];
      }
    }
    return null;
  }

  function setField(node, name, text) {
    var field = node.querySelector('[data-field="' + name + '"]');
    if (field) {
      field.textContent = text || "";
    }
  }

  function addCall(call) {
    var node = template.content.firstElementChild.cloneNode(true);
    node.setAttribute("data-call-id", call.id);
    setField(node, "caller", call.caller_name);
    setField(node, "reference", call.case_reference);
    setField(node, "message", call.message);
    node.querySelector("form").setAttribute("action", call.answer_url);
    banner.appendChild(node);
  }

  function showCalls(calls) {
    var open = {};
    calls.forEach(function (call) {
      open[call.id] = true;
      if (!itemFor(call.id)) {
        addCall(call);
      }
    });
    Array.prototype.forEach.call(banner.querySelectorAll("[data-call-id]"), function (node) {
      var answered = node.hasAttribute("data-answered");
      if (!answered && !open[node.getAttribute("data-call-id")]) {
        node.parentNode.removeChild(node);
      }
    });
  }

  function showSent(sent) {
    sent.forEach(function (call) {
      var selector = '[data-guide-call-status="' + call.id + '"]';
      Array.prototype.forEach.call(document.querySelectorAll(selector), function (node) {
        if (node.textContent !== call.status_label) {
          node.textContent = call.status_label;
        }
      });
    });
  }

  function poll() {
    fetch(pollUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        return response.ok && type.indexOf("json") !== -1 ? response.json() : null;
      })
      .then(function (data) {
        if (data) {
          showCalls(data.calls || []);
          showSent(data.sent || []);
        }
      })
      .catch(function () {
        /* The next poll tries again; the page itself keeps working. */
      })
      .then(function () {
        window.setTimeout(poll, POLL_MS);
      });
  }

  function showAnswered(form, text) {
    var item = form.closest("[data-call-id]");
    var note = document.createElement("p");
    note.className = "guide-call-answered";
    note.textContent = text;
    if (item) {
      item.setAttribute("data-answered", "");
    }
    form.parentNode.replaceChild(note, form);
    window.setTimeout(function () {
      if (item && item.parentNode) {
        item.parentNode.removeChild(item);
      }
    }, 15000);
  }

  banner.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-guide-call-form")) {
      return;
    }
    event.preventDefault();
    var data = new FormData(form);
    var submitter = event.submitter;
    if (submitter && submitter.name) {
      data.set(submitter.name, submitter.value);
    }
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (body) {
        showAnswered(form, body.message || "");
      })
      .catch(function () {
        var hidden = document.createElement("input");
        hidden.type = "hidden";
        hidden.name = "answer";
        hidden.value = data.get("answer") || "";
        form.appendChild(hidden);
        form.submit();
      });
  });

  window.setTimeout(poll, POLL_MS);
})();
