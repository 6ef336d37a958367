/* The docs site's search runs in a Web Worker, and a page opened from file:// may not start
   one (browsers treat a local file as an origin of its own). On file:// pages this script,
   written for hishel's docs, puts a stand-in in place of Worker: the worker's script runs in a
   hidden iframe of the page's own origin, and messages pass both ways as events. It covers
   what the theme's search worker uses: postMessage in both directions, "message" listeners,
   importScripts (returning a promise, which that worker awaits) and terminate().
   The file name holds "iframe-worker" so that Material's offline plugin does not add a copy of
   its own from the network. */
(function () {
  "use strict";
  if (location.protocol !== "file:") {
    return;
  }

  // Load scripts into a document one after another, as importScripts runs them in order.
  function loadScripts(doc, urls) {
    return urls.reduce(function (previous, url) {
      return previous.then(function () {
        return new Promise(function (resolve, reject) {
          var script = doc.createElement("script");
          script.src = url;
          script.onload = function () { resolve(); };
          script.onerror = function () { reject(new Error("cannot load " + url)); };
          doc.body.appendChild(script);
        });
      });
    }, Promise.resolve());
  }

  function copy(data) {
    return typeof structuredClone === "function" ? structuredClone(data) : data;
  }

  function FrameWorker(url) {
    var target = new EventTarget();
    var worker = this;
    var script = new URL(String(url), location.href).href;
    var frame = document.createElement("iframe");
    frame.style.display = "none";
    document.body.appendChild(frame); // about:blank: it shares this page's origin
    var scope = frame.contentWindow;

    this.onmessage = null;
    this.onerror = null;
    this.addEventListener = target.addEventListener.bind(target);
    this.removeEventListener = target.removeEventListener.bind(target);
    this.dispatchEvent = target.dispatchEvent.bind(target);

    // What the page hears from the worker.
    function deliver(event) {
      var handler = event.type === "message" ? worker.onmessage : worker.onerror;
      if (typeof handler === "function") {
        handler.call(worker, event);
      }
      target.dispatchEvent(event);
    }

    // The worker's globals: postMessage goes to the page, importScripts loads into the frame.
    scope.postMessage = function (data) {
      var event = new MessageEvent("message", { data: copy(data) });
      setTimeout(function () { deliver(event); }, 0);
    };
    scope.importScripts = function () {
      var urls = Array.prototype.map.call(arguments, function (each) {
        return new URL(String(each), script).href;
      });
      return loadScripts(scope.document, urls);
    };

    // Messages sent before the worker's script has run wait for it.
    var ready = loadScripts(scope.document, [script]).catch(function (error) {
      deliver(new ErrorEvent("error", { message: error.message, error: error }));
      throw error;
    });

    this.postMessage = function (data) {
      var cloned = copy(data);
      ready.then(function () {
        scope.dispatchEvent(new scope.MessageEvent("message", { data: cloned }));
      }, function () {});
    };
    this.terminate = function () {
      if (frame.parentNode) {
        frame.parentNode.removeChild(frame);
      }
    };
  }

  window.Worker = FrameWorker;
})();
