/* deckgen: shrink a slide's type until its content fits the slide, never cut it off. */
(function () {
  "use strict";
  var MIN_SCALE = 0.4;
  var STEP = 0.92;
  var MIN_PICTURE_PX = 160;

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

  function fitSlide(section) {
    withLayout(section, function () {
      section.querySelectorAll(".dg-main, .dg-footer, .dg-link-title, .dg-link-meta").forEach(fitBox);
    });
  }

  function fitAll() {
    document.querySelectorAll(".reveal .slides section:not(.stack)").forEach(fitSlide);
    // A picture that arrives after the fit changes its slide's layout: fit that slide again then.
    document.querySelectorAll(".reveal .slides img").forEach(function (picture) {
      if (!picture.complete) {
        picture.addEventListener("load", function () { fitSlide(picture.closest("section")); }, { once: true });
      }
    });
    document.documentElement.setAttribute("data-deckgen-fitted", "true");
  }

  function fitWhenFontsAreReady() {
    var fonts = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    fonts.then(fitAll);
  }

  window.deckgen = { fitAll: fitAll, fitSlide: fitSlide };
  // This script runs after reveal.js and before Reveal.initialize(), so "ready" cannot be missed.
  if (window.Reveal) {
    if (Reveal.isReady && Reveal.isReady()) fitWhenFontsAreReady(); else Reveal.on("ready", fitWhenFontsAreReady);
    Reveal.on("slidechanged", function (event) { fitSlide(event.currentSlide); });
    // Print layout (?print-pdf) moves every slide onto a page of its own: fit them again there.
    Reveal.on("pdf-ready", fitAll);
  }
})();
