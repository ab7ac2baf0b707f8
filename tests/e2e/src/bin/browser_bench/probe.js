// The in-page half of the browser benchmark (browser_bench.rs): installed once per page as
// `window.__moatBench`, then called through WebDriver's execute_async. It only dispatches the
// events a person's pointer and keyboard would and watches the DOM; it changes nothing else.
//
// "Painted" is the time a message posted from a requestAnimationFrame callback arrives: the
// frame that callback opened has then been painted.
if (!window.__moatBench) {
  window.__moatBench = (() => {
    const frame = () => new Promise((resolve) => requestAnimationFrame(resolve));
    const afterPaint = () =>
      new Promise((resolve) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve(performance.now());
        channel.port2.postMessage(0);
      });
    const nextPaint = async () => {
      await frame();
      return afterPaint();
    };

    // When the DOM last changed (the observer runs right after each change's task).
    let lastMutation = 0;
    // What an edit changed in the DOM up to the frame that shows it (`measure` resets it): a
    // frame's cost that does not follow the size of the change is the browser's, not ours.
    let changed = { added: 0, removed: 0, attributes: 0 };
    new MutationObserver((records) => {
      lastMutation = performance.now();
      for (const record of records) {
        changed.added += record.addedNodes.length;
        changed.removed += record.removedNodes.length;
        changed.attributes += record.type === "attributes" ? 1 : 0;
      }
    }).observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });

    const element = (id) => document.querySelector(`[data-element-id="${CSS.escape(id)}"]`);
    // What a drag draws where the element would land (the element stays until the drop).
    const preview = (id) => document.querySelector(`[data-moving-id="${CSS.escape(id)}"]`);
    const drawnPreview = (id) => (preview(id) ? preview(id).outerHTML : "");
    const center = (node) => {
      const r = node.getBoundingClientRect();
      return [r.x + r.width / 2, r.y + r.height / 2];
    };
    const pointer = (type, target, x, y) =>
      target.dispatchEvent(
        new PointerEvent(type, {
          bubbles: true,
          cancelable: true,
          composed: true,
          clientX: x,
          clientY: y,
          pointerId: 1,
          pointerType: "mouse",
          isPrimary: true,
          button: 0,
          buttons: type === "pointerup" ? 0 : 1,
        }),
      );
    const saving = () => !!document.querySelector("[data-testid=save-state].pending");
    // The analyses of the latest edit are on screen (the panels are no longer busy).
    const analysed = () => document.querySelector("[data-testid=analysis]").getAttribute("aria-busy") === "false";
    // The element pressed in edit (a) and where.
    let held = null;

    // Times `act`: `ms` from just before it to the painted frame in which `ready()` holds
    // (the edit is on screen), `settled_ms` to the painted frame after which a frame passes
    // with no further DOM change (work the app put off the edit's frame, such as the
    // analyses, has shown too), `frames` the frames it took to show, `dom` what the edit
    // changed in the DOM by then and how many elements the page holds.
    //
    // `act` runs at the start of a frame, where Chromium delivers pointer moves: `ms` is then
    // the work of the frame that shows the edit (script, style, layout, paint), and within
    // 16 ms that frame is on time. An event at a random moment also waits for the next frame
    // to begin, up to one frame, whatever the page: `calibrate` measures that.
    async function measure(act, ready, timeoutMs, done = () => true) {
      await nextPaint();
      await frame();
      const start = performance.now();
      changed = { added: 0, removed: 0, attributes: 0 };
      act();
      const handled = performance.now();
      let frames = 1;
      let painted = await afterPaint();
      while (!ready()) {
        if (performance.now() - start > timeoutMs) {
          return { error: `the change did not show within ${timeoutMs} ms` };
        }
        await frame();
        frames += 1;
        painted = await afterPaint();
      }
      const shown = painted;
      const dom = { ...changed, elements_in_page: document.getElementsByTagName("*").length };
      for (let i = 0; i < 600; i += 1) {
        const next = await nextPaint();
        if (lastMutation <= painted && done()) break;
        painted = next;
      }
      return { ms: shown - start, settled_ms: painted - start, handler_ms: handled - start, frames, dom };
    }

    // A one-character change of a text in the toolbar, the smallest edit a page can show,
    // timed from the start of a frame (as `measure`) and from just after a paint (an event
    // arriving at a random moment waits for the next frame too): what any page would measure.
    async function calibrate(runs) {
      const note = document.createElement("span");
      note.setAttribute("aria-hidden", "true");
      document.querySelector("[data-testid=save-state]").after(note);
      const aligned = [];
      const unaligned = [];
      for (let i = 0; i < runs; i += 1) {
        await nextPaint();
        await frame();
        let start = performance.now();
        note.textContent = String(i % 10);
        aligned.push((await afterPaint()) - start);
        await nextPaint();
        start = performance.now();
        note.textContent = String((i + 5) % 10);
        await frame();
        unaligned.push((await afterPaint()) - start);
      }
      note.remove();
      const median = (times) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
      return { aligned_ms: median(aligned), unaligned_ms: median(unaligned), runs };
    }

    return {
      calibrate,

      // Resolves once nothing is waiting to be autosaved (the autosave runs 400 ms after an
      // edit and would land in the next measurement).
      async saved(timeoutMs) {
        const start = performance.now();
        while (saving() || document.querySelector("[data-testid=error]")) {
          if (document.querySelector("[data-testid=error]")) {
            return { error: document.querySelector("[data-testid=error]").textContent };
          }
          if (performance.now() - start > timeoutMs) return { error: "still saving" };
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        await nextPaint();
        return { ms: performance.now() - start };
      },

      // Waits until the canvas holds the design of `count` elements and draws them (those
      // on screen: the canvas leaves out what is off screen); the time since the file input
      // changed.
      async opened(count, timeoutMs) {
        const start = window.__moatBenchOpenStart;
        const held = () => Number(document.querySelector("[data-testid=canvas]").dataset.elementCount);
        for (;;) {
          const drawn = document.querySelectorAll("[data-element-id]").length;
          if (held() >= count && drawn > 0) break;
          const error = document.querySelector("[data-testid=error]");
          if (error) return { error: error.textContent };
          if (performance.now() - start > timeoutMs) return { error: `${held()} of ${count} elements opened` };
          await frame();
        }
        const painted = await afterPaint();
        return { ms: painted - start, elements: held(), drawn: document.querySelectorAll("[data-element-id]").length };
      },

      // Notes when the file input changes (installed before the file is chosen).
      watchOpen() {
        document.addEventListener(
          "change",
          (event) => {
            if (event.target.matches && event.target.matches("input[data-action=open-file]")) {
              window.__moatBenchOpenStart = performance.now();
            }
          },
          true,
        );
      },

      // Edit (a), in three steps timed on their own: a pointer press on the element (selects
      // it), a move of `dx` screen pixels (its preview follows; the analyses wait for the
      // drop), and the release (the move is committed, the analyses re-run, the panels update).
      async press(id, timeoutMs) {
        const node = element(id);
        if (!node) return { error: `no element ${id}` };
        const [x, y] = center(node);
        held = { id, x, y };
        return measure(
          () => pointer("pointerdown", node, x, y),
          () => element(id).classList.contains("selected"),
          timeoutMs,
        );
      },
      async dragBy(dx, timeoutMs) {
        const { id, x, y } = held;
        const before = drawnPreview(id);
        held.dx = dx;
        return measure(
          () => pointer("pointermove", document.querySelector(".app"), x + dx, y),
          () => drawnPreview(id) !== before,
          timeoutMs,
        );
      },
      async drop(timeoutMs) {
        const { x, y, dx } = held;
        return measure(() => pointer("pointerup", document.querySelector(".app"), x + dx, y), saving, timeoutMs, analysed);
      },

      // Brings an element on screen as a person would: chosen in the Outline tab, the canvas
      // centres on it (and selects it); Escape then clears the selection, and the Findings
      // tab is shown again. The canvas draws only what is on screen.
      async reveal(id, timeoutMs) {
        document.querySelector("[data-tab=outline]").click();
        const start = performance.now();
        // The outline lists the design the analyses are of: just after opening, the last one.
        let entry;
        while (!(entry = document.querySelector(`[data-outline-id="${CSS.escape(id)}"]`))) {
          if (performance.now() - start > timeoutMs) return { error: `no outline entry for ${id}` };
          await frame();
        }
        entry.click();
        while (!element(id)) {
          if (performance.now() - start > timeoutMs) return { error: `${id} was not drawn` };
          await frame();
        }
        window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
        document.querySelector("[data-tab=findings]").click();
        await nextPaint();
        await nextPaint();
        return { shown: !!element(id), selected: element(id).classList.contains("selected") };
      },

      // Selects an element with a click (press and release without moving).
      async select(id) {
        const node = element(id);
        if (!node) return { error: `no element ${id}` };
        const [x, y] = center(node);
        pointer("pointerdown", node, x, y);
        await nextPaint();
        pointer("pointerup", document.querySelector(".app"), x, y);
        await nextPaint();
        await nextPaint();
        return { selected: element(id).classList.contains("selected") };
      },

      // Edit (b): types `value` into an inspector field and commits it (a change event, as
      // Enter or leaving the field does).
      async field(selector, value, timeoutMs) {
        const input = document.querySelector(selector);
        if (!input) return { error: `no field ${selector}` };
        const was = input.value;
        const timing = await measure(
          () => {
            input.value = value;
            input.dispatchEvent(new Event("change", { bubbles: true }));
          },
          saving,
          timeoutMs,
          analysed,
        );
        return Object.assign(timing, { from: was, to: value });
      },

      // Frame intervals with nothing happening, for `ms`.
      async idle(ms) {
        const intervals = [];
        let previous = await frame();
        const start = previous;
        while (previous - start < ms) {
          const now = await frame();
          intervals.push(now - previous);
          previous = now;
        }
        return { intervals };
      },

      // Drags element `id` for `ms` and at least `frames` frames (at most `maxMs`): one
      // pointer move per animation frame, back and forth over `span` screen pixels; the frame
      // intervals meanwhile. Escape ends the drag (cancelled, so no analysis runs after it).
      async drag(id, ms, span, frames, maxMs) {
        const node = element(id);
        if (!node) return { error: `no element ${id}` };
        const [x, y] = center(node);
        const root = document.querySelector(".app");
        pointer("pointerdown", node, x, y);
        await nextPaint();
        const intervals = [];
        let changed = 0;
        let previous = await frame();
        const start = previous;
        let step = 0;
        while ((previous - start < ms || intervals.length < frames) && previous - start < maxMs) {
          step += 1;
          const phase = step % (2 * span);
          const offset = phase < span ? phase + 1 : 2 * span - phase;
          const seen = lastMutation;
          pointer("pointermove", root, x + offset, y + offset / 2);
          const now = await frame();
          if (lastMutation > seen) changed += 1;
          intervals.push(now - previous);
          previous = now;
        }
        const moved = changed > 0 && preview(id) !== null;
        window.dispatchEvent(new KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
        pointer("pointerup", root, x, y);
        return { intervals, moves: step, frames_with_changes: changed, moved };
      },
    };
  })();
}
