// A modal question on a native <dialog>: focus is trapped and Escape cancels for free,
// the page behind is inert, and a screen reader hears the title. Built with DOM APIs so
// both apps use it from anywhere (a page, a click handler); each app gives its own words
// and the class names of its own buttons.

export interface Question {
  title: string;
  body: string;
  /** The confirming button's label: the action itself ("Delete for good"), never "OK". */
  confirm: string;
  cancel: string;
  /** The action destroys something: the confirming button looks so. */
  danger?: boolean;
}

/** How an app dresses the dialog: its class names. */
export interface DialogLook {
  dialog: string;
  actions: string;
  cancel: string;
  confirm: string;
  danger: string;
}

export interface OpenDialog {
  dialog: HTMLDialogElement;
  cancel: HTMLButtonElement;
}

let nextId = 0;

/** The dialog's frame: heading, body, whatever goes between, then cancel and confirm (added to the page). */
export function buildDialog(question: Question, look: DialogLook, middle: HTMLElement[] = []): OpenDialog {
  const dialog = document.createElement("dialog");
  dialog.className = look.dialog;
  const titleId = `dialog-title-${++nextId}`;
  const bodyId = `dialog-body-${nextId}`;
  dialog.setAttribute("aria-labelledby", titleId);
  dialog.setAttribute("aria-describedby", bodyId);
  const heading = document.createElement("h2");
  heading.id = titleId;
  heading.textContent = question.title;
  const body = document.createElement("p");
  body.id = bodyId;
  body.textContent = question.body;
  const actions = document.createElement("div");
  actions.className = look.actions;
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = look.cancel;
  cancel.textContent = question.cancel;
  const accept = document.createElement("button");
  accept.type = "button";
  accept.className = question.danger ? look.danger : look.confirm;
  accept.textContent = question.confirm;
  actions.append(cancel, accept);
  dialog.append(heading, body, ...middle, actions);
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close("cancel"));
  accept.addEventListener("click", () => dialog.close("confirm"));
  return { dialog, cancel };
}

/** Show it, the focus on "cancel" (the safe choice); resolves with `answer(confirmed)` once closed. */
export function ask<T>({ dialog, cancel }: OpenDialog, answer: (confirmed: boolean) => T): Promise<T> {
  const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(answer(dialog.returnValue === "confirm"));
      dialog.remove();
      before?.focus();
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** A yes/no question: true when confirmed. */
export function confirmQuestion(question: Question, look: DialogLook): Promise<boolean> {
  return ask(buildDialog(question, look), (confirmed) => confirmed);
}
