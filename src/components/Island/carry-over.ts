// What a reader did to an island's server HTML before its code arrived, carried over to the live
// component that replaces it (./index.tsx). The swap builds new elements, so without this an answer
// ticked, a select changed, a button pressed or the focus itself would be lost as the code loads.
// The component renders the same markup as the server, so an element is named by its path of
// child positions from the island's wrapper and found again at that path after the swap.
//
// State lives here in one Recording per waiting island: the controls already changed when it started
// listening (changed before the page hydrated), then every change, press and submit in order.

type Path = number[];

type Step =
  | { kind: 'value'; path: Path; value: string }
  | { kind: 'checked'; path: Path; checked: boolean }
  | { kind: 'press'; path: Path }
  | { kind: 'submit'; path: Path; submitter: Path | undefined };

export interface Recording {
  steps: Step[];
  /** Stops listening. */
  stop(): void;
}

function pathOf(root: Element, el: Element): Path | undefined {
  const path: Path = [];
  for (let node: Element | null = el; node !== root; node = node.parentElement) {
    if (!node?.parentElement) return undefined;
    path.unshift(Array.from(node.parentElement.children).indexOf(node));
  }
  return path;
}

function at(root: Element, path: Path): Element | undefined {
  let node: Element | undefined = root;
  for (const i of path) node = node?.children[i];
  return node;
}

const CONTROLS = 'input, select, textarea';

/** A control's state as a step, if the reader has changed it from what the server wrote. */
function changed(root: Element, el: Element): Step | undefined {
  const path = pathOf(root, el);
  if (!path) return undefined;
  if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox'))
    return el.checked === el.defaultChecked
      ? undefined
      : { kind: 'checked', path, checked: el.checked };
  if (el instanceof HTMLSelectElement)
    return Array.from(el.options).every((o) => o.selected === o.defaultSelected)
      ? undefined
      : { kind: 'value', path, value: el.value };
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)
    return el.value === el.defaultValue ? undefined : { kind: 'value', path, value: el.value };
  return undefined;
}

/**
 * Starts recording what the reader does inside `root`. A submit is held back (the server's form
 * would reload the page) and recorded, to be sent again once the component can answer it.
 */
export function record(root: HTMLElement): Recording {
  const steps: Step[] = [];
  for (const el of Array.from(root.querySelectorAll(CONTROLS))) {
    const step = changed(root, el);
    if (step) steps.push(step);
  }
  const onChange = (event: Event) => {
    const el = event.target as Element;
    const path = pathOf(root, el);
    if (!path) return;
    if (el instanceof HTMLInputElement && (el.type === 'radio' || el.type === 'checkbox'))
      steps.push({ kind: 'checked', path, checked: el.checked });
    else if ('value' in el) steps.push({ kind: 'value', path, value: String(el.value) });
  };
  const onClick = (event: Event) => {
    const button = (event.target as Element).closest('button');
    // A submit button's press arrives as the form's submit, below.
    if (!button || button.type === 'submit' || !root.contains(button)) return;
    const path = pathOf(root, button);
    if (path) steps.push({ kind: 'press', path });
  };
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    const path = pathOf(root, event.target as Element);
    if (path)
      steps.push({
        kind: 'submit',
        path,
        submitter: event.submitter ? pathOf(root, event.submitter) : undefined,
      });
  };
  root.addEventListener('change', onChange, true);
  root.addEventListener('input', onChange, true);
  root.addEventListener('click', onClick, true);
  root.addEventListener('submit', onSubmit, true);
  return {
    steps,
    stop() {
      root.removeEventListener('change', onChange, true);
      root.removeEventListener('input', onChange, true);
      root.removeEventListener('click', onClick, true);
      root.removeEventListener('submit', onSubmit, true);
    },
  };
}

/** Sets a value as the reader's typing would, so that React's onChange sees it. */
function setValue(el: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, value: string) {
  const proto = Object.getPrototypeOf(el) as object;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(el, value);
  el.dispatchEvent(new Event('input', { bubbles: true }));
  el.dispatchEvent(new Event('change', { bubbles: true }));
}

/** Where the focus is inside `root`, to put it back after the swap. */
export function focusIn(root: HTMLElement): Path | undefined {
  const active = document.activeElement;
  return active && active !== root && root.contains(active) ? pathOf(root, active) : undefined;
}

/**
 * Does the recorded steps again on the live component now in `root`, in order, through the DOM
 * (a click, a value set, a form's requestSubmit), so the component's own handlers run; then puts
 * the focus back where it was. Each step waits for React to render the one before: a submit
 * handler reads the answer that the click before it chose.
 */
export async function replay(
  root: HTMLElement,
  steps: readonly Step[],
  focus: Path | undefined,
): Promise<void> {
  const target = focus && at(root, focus);
  if (target instanceof HTMLElement) target.focus({ preventScroll: true });
  // Consecutive changes to one control: only the last one matters.
  const last = steps.filter(
    (s, i) =>
      s.kind === 'press' ||
      s.kind === 'submit' ||
      !(steps[i + 1]?.kind === s.kind && String(steps[i + 1].path) === String(s.path)),
  );
  for (const step of last) {
    const el = at(root, step.path);
    if (!el) continue;
    if (step.kind === 'checked') {
      if (el instanceof HTMLInputElement && el.checked !== step.checked) el.click();
    } else if (step.kind === 'value') {
      if (
        (el instanceof HTMLInputElement ||
          el instanceof HTMLSelectElement ||
          el instanceof HTMLTextAreaElement) &&
        el.value !== step.value
      )
        setValue(el, step.value);
    } else if (step.kind === 'press') {
      if (el instanceof HTMLButtonElement && !el.disabled) el.click();
    } else if (el instanceof HTMLFormElement) {
      const submitter = step.submitter && at(root, step.submitter);
      el.requestSubmit(submitter instanceof HTMLButtonElement ? submitter : undefined);
    }
    await new Promise((resolve) => setTimeout(resolve));
  }
}
