// Run in every frame before the page's own scripts (tests/browser/page_scan.py):
// alert, confirm, prompt, print and the corpus's marker xss_fired record
// each call, in the page and through the binding the test exposes.
(() => {
  const record = (name) => function (value) {
    const call = name + "(" + String(value) + ")";
    (window.__xssCalls = window.__xssCalls || []).push(call);
    try { window.__recordXss(call); } catch (error) {}
    return name === "prompt" ? "" : name === "confirm" ? false : undefined;
  };
  for (const name of ["alert", "confirm", "prompt", "print", "xss_fired"]) {
    Object.defineProperty(window, name, { value: record(name), writable: false });
  }
})();
