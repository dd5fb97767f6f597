() => {
  // What the site writes itself: scripts from /static/ and JSON-LD, style
  // set by previews.js on term previews (and the browser's own on the <pre>
  // showing a text file). Anything else below is content.
  const problems = [];
  const hostile = /^(javascript|data|vbscript):/i;
  // Read as a browser reads an address: tabs and line breaks dropped,
  // controls and spaces at the start ignored.
  const read = (value) => value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+/, "");
  const addressAttributes = new Set([
    "href", "src", "action", "formaction", "xlink:href", "data", "poster",
    "background", "codebase", "cite", "ping",
  ]);
  const staticFiles = location.origin + "/static/";
  const describe = (element) => element.outerHTML.slice(0, 160);
  // Text, JSON and feeds are shown by the browser's own viewer, in a <pre>
  // it styles.
  const isPage = document.contentType === "text/html";
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) {
        problems.push("event handler " + name + ": " + describe(element));
      } else if (name === "srcdoc") {
        problems.push("srcdoc: " + describe(element));
      } else if (addressAttributes.has(name) && hostile.test(read(attribute.value))) {
        problems.push("address " + name + ": " + describe(element));
      } else if (name === "style" && isPage && !element.classList.contains("term-preview")) {
        problems.push("style attribute: " + describe(element));
      }
    }
    if (["iframe", "frame", "frameset", "object", "embed", "applet", "base"].includes(tag)) {
      problems.push("element " + tag + ": " + describe(element));
    }
    if (tag === "meta" && (element.getAttribute("http-equiv") || "").toLowerCase() === "refresh") {
      problems.push("meta refresh: " + describe(element));
    }
    if (tag === "script") {
      const source = element.getAttribute("src");
      if (source !== null ? !element.src.startsWith(staticFiles)
          : element.type !== "application/ld+json") {
        problems.push("script: " + describe(element));
      }
    }
  }
  return {
    problems,
    calls: window.__xssCalls || [],
    text: document.body ? document.body.innerText : "",
  };
}
