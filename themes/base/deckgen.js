/* deckgen: shrink a slide's type until its content fits the slide, never cut it off.
   A slide is made ready when it is about to be shown (the current slide and its neighbours), not
   all at start: a big deck opens as fast as a small one. Print (PDF) readies every page. */
(function () {
  "use strict";
  var MIN_SCALE = 0.4;
  var STEP = 0.92;
  var MIN_PICTURE_PX = 160;
  var BATCH = 20;
  var fitted = new Set();

  function overflows(box) {
    return box.scrollHeight > box.clientHeight + 1 || box.scrollWidth > box.clientWidth + 1;
  }

  // Pictures give way first, down to a floor, so the type stays as large as it can.
  function shrinkPictures(box, content) {
    var pictures = Array.prototype.slice.call(content.querySelectorAll("img, video"));
    pictures.forEach(function (picture) { picture.style.maxHeight = ""; });
    if (!pictures.length || !overflows(box)) return;
    var limit = Math.max.apply(null, pictures.map(function (picture) { return picture.offsetHeight; }));
    while (overflows(box) && limit > MIN_PICTURE_PX) {
      limit = Math.max(MIN_PICTURE_PX, limit * STEP);
      pictures.forEach(function (picture) { picture.style.maxHeight = limit.toFixed(0) + "px"; });
    }
  }

  // Fit the first child of `box` into `box`: smaller pictures, then a smaller font size (all sizes
  // inside are in em).
  function fitBox(box) {
    var content = box.firstElementChild;
    if (!content) return;
    content.style.fontSize = "";
    shrinkPictures(box, content);
    var base = parseFloat(window.getComputedStyle(content).fontSize);
    var size = base;
    while (overflows(box) && size > base * MIN_SCALE) {
      size = size * STEP;
      content.style.fontSize = size.toFixed(2) + "px";
    }
    box.classList.toggle("dg-fitted", size < base);
  }

  // Hidden slides have no layout: show a slide (and its stack) while measuring it.
  function withLayout(section, measure) {
    var touched = [];
    for (var node = section; node && node.tagName === "SECTION"; node = node.parentElement) {
      if (node.style.display === "none" || window.getComputedStyle(node).display === "none") {
        touched.push([node, node.style.display]);
        node.style.display = "block";
      }
    }
    measure();
    touched.forEach(function (pair) { pair[0].style.display = pair[1]; });
  }

  // A slide's content waits in the page as text (a <script type="text/html">, written by deckgen's
  // later.py: the "<" of "</script" and "<!" as "%3C", a "%" that would read as an escape as
  // "%25"): text costs the browser next to nothing to read, elements a great deal, so a big deck
  // opens fast.
  function laterHtml(script) {
    return script.textContent.replace(/%(25|3C)/g, function (match, code) { return code === "25" ? "%" : "<"; });
  }

  // What a slide keeps as text takes its place, as elements.
  function showLater(section) {
    section.querySelectorAll(":scope > script.dg-later").forEach(function (later) {
      later.insertAdjacentHTML("beforebegin", laterHtml(later));
      later.remove();
    });
  }

  // A talk's QR code and footer are in the page once, as text on its first slide; each slide of
  // the talk gets a copy of them when it is about to be shown.
  var chromes = null;

  function copyChrome(section) {
    var frame = section.querySelector(":scope > .dg-slide[data-dg-chrome-copy]");
    if (!frame) return;
    if (!chromes) {
      chromes = new Map();
      document.querySelectorAll(".reveal .slides script.dg-talk-chrome").forEach(function (chrome) {
        chromes.set(chrome.closest("section").getAttribute("data-talk"), laterHtml(chrome));
      });
    }
    var chrome = chromes.get(section.getAttribute("data-talk"));
    if (chrome) frame.insertAdjacentHTML("beforeend", chrome);
    frame.removeAttribute("data-dg-chrome-copy");
  }

  // A QR code is drawn when its slide is about to be shown: each <use> costs a copy of its code.
  function drawCodes(section) {
    section.querySelectorAll("svg[data-qr]").forEach(function (svg) {
      if (svg.firstElementChild) return;
      var use = document.createElementNS("http://www.w3.org/2000/svg", "use");
      use.setAttribute("href", svg.getAttribute("data-qr"));
      svg.appendChild(use);
    });
  }

  function fitSlide(section) {
    if (!section || section.classList.contains("stack")) return;
    showLater(section);
    copyChrome(section);
    drawCodes(section);
    withLayout(section, function () {
      section.querySelectorAll(".dg-main, .dg-footer").forEach(fitBox);
    });
    fitted.add(section);
    section.setAttribute("data-dg-fitted", "");
    // A picture that arrives after the fit changes its slide's layout: fit that slide again then.
    section.querySelectorAll("img").forEach(function (picture) {
      if (!picture.complete && !picture.dgRefit) {
        picture.dgRefit = true;
        picture.addEventListener("load", function () { fitSlide(section); }, { once: true });
      }
    });
  }

  // The slides a key press away: right and left (the top of the next and previous stacks), up and down.
  function neighbours(section) {
    var at = Reveal.getIndices(section);
    var v = at.v || 0;
    return [Reveal.getSlide(at.h, v - 1), Reveal.getSlide(at.h, v + 1), Reveal.getSlide(at.h - 1, 0), Reveal.getSlide(at.h + 1, 0)];
  }

  function fitUnfitted(slides) {
    slides.forEach(function (slide) { if (slide && !fitted.has(slide)) fitSlide(slide); });
  }

  // The slide shown now, then its neighbours once it is painted, so the next key press finds them ready.
  function fitAround(section) {
    fitUnfitted([section]);
    requestAnimationFrame(function () { setTimeout(function () { fitUnfitted(neighbours(section)); }, 0); });
  }

  function allSlides() {
    return document.querySelectorAll(".reveal .slides section:not(.stack)");
  }

  function fitAll() {
    allSlides().forEach(fitSlide);
  }

  // The overview shows every slide: fit the ones not yet fitted, a few at a time.
  function fitRestSoon() {
    var rest = Array.prototype.filter.call(allSlides(), function (section) { return !fitted.has(section); });
    (function next() {
      rest.splice(0, BATCH).forEach(fitSlide);
      if (rest.length) setTimeout(next, 0);
    })();
  }

  function start() {
    if (Reveal.isPrintView && Reveal.isPrintView()) return; // "pdf-ready" fits every page
    fitAround(Reveal.getCurrentSlide());
    document.documentElement.setAttribute("data-deckgen-fitted", "true");
    // Text measured before the fonts were ready may measure otherwise once they are.
    if (document.fonts && document.fonts.status !== "loaded") {
      document.fonts.ready.then(function () { fitted.forEach(fitSlide); });
    }
  }

  // At start reveal.js reads every slide's computed background colour to give its controls a light
  // or dark class: a style recalculation per slide, the costliest step in opening a big deck.
  // deckgen's themes paint no reveal.js slide background (the page and the slide's own box carry
  // the colours), so a slide without a background of its own is named transparent, which reveal.js
  // takes as it is.
  function nameTransparentBackgrounds() {
    var plain = ".reveal .slides section:not([data-background]):not([data-background-color])";
    document.querySelectorAll(plain).forEach(function (section) {
      section.setAttribute("data-background-color", "rgba(0, 0, 0, 0)");
    });
  }

  // reveal.js writes its arrows' accessible labels in English; the page carries them in the
  // deck's language (deck.html). Right to left, reveal.js's left arrow is the next slide.
  function labelArrows() {
    var reveal = document.querySelector(".reveal");
    if (!reveal) return;
    var labels = reveal.dataset;
    var rtl = Reveal.getConfig && Reveal.getConfig().rtl;
    var arrows = {
      "navigate-left": rtl ? labels.dgNextSlide : labels.dgPreviousSlide,
      "navigate-right": rtl ? labels.dgPreviousSlide : labels.dgNextSlide,
      "navigate-up": labels.dgAboveSlide,
      "navigate-down": labels.dgBelowSlide
    };
    Object.keys(arrows).forEach(function (name) {
      var button = reveal.querySelector(".controls ." + name);
      if (button && arrows[name]) button.setAttribute("aria-label", arrows[name]);
    });
  }

  window.deckgen = { fitAll: fitAll, fitSlide: fitSlide };
  nameTransparentBackgrounds();
  // This script runs after reveal.js and before Reveal.initialize(), so "ready" cannot be missed.
  if (window.Reveal) {
    var ready = function () { labelArrows(); start(); };
    if (Reveal.isReady && Reveal.isReady()) ready(); else Reveal.on("ready", ready);
    Reveal.on("slidechanged", function (event) { fitAround(event.currentSlide); });
    Reveal.on("overviewshown", fitRestSoon);
    // Print layout (?print-pdf) moves every slide onto a page of its own: fit them all there.
    Reveal.on("pdf-ready", function () {
      fitAll();
      document.documentElement.setAttribute("data-deckgen-fitted", "true");
    });
  }
})();
