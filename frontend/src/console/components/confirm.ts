import "./confirm.css";
import { t } from "../i18n";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
}

export interface NoteOptions extends ConfirmOptions {
  /** An optional note asked with the question (what the attendee will read). */
  noteLabel: string;
  noteHint: string;
  noteMaxLength: number;
}

interface Built {
  dialog: HTMLDialogElement;
  cancel: HTMLButtonElement;
}

/** The dialog's frame: heading, body, whatever goes between, then cancel and confirm. */
function buildDialog(options: ConfirmOptions, middle: HTMLElement[] = []): Built {
  const dialog = document.createElement("dialog");
  dialog.className = "dialog dialog--small";
  const titleId = `confirm-title-${Math.random().toString(36).slice(2)}`;
  dialog.setAttribute("aria-labelledby", titleId);
  const heading = document.createElement("h2");
  heading.id = titleId;
  heading.textContent = options.title;
  const body = document.createElement("p");
  body.textContent = options.body;
  const actions = document.createElement("div");
  actions.className = "dialog__actions";
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "button";
  cancel.textContent = t("common.cancel");
  const accept = document.createElement("button");
  accept.type = "button";
  accept.className = options.danger ? "button button--danger" : "button button--primary";
  accept.textContent = options.confirm;
  actions.append(cancel, accept);
  dialog.append(heading, body, ...middle, actions);
  document.body.append(dialog);
  cancel.addEventListener("click", () => dialog.close("cancel"));
  accept.addEventListener("click", () => dialog.close("confirm"));
  return { dialog, cancel };
}

/** A modal yes/no question on a native <dialog> (focus trap and Escape for free), built with DOM APIs. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  const { dialog, cancel } = buildDialog(options);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** The same question with an optional short note: the note ("" if left empty), or null if cancelled. */
export function confirmWithNote(options: NoteOptions): Promise<string | null> {
  const field = document.createElement("div");
  field.className = "field";
  const id = `confirm-note-${Math.random().toString(36).slice(2)}`;
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = options.noteLabel;
  const input = document.createElement("input");
  input.id = id;
  input.type = "text";
  input.autocomplete = "off";
  input.maxLength = options.noteMaxLength;
  const hint = document.createElement("p");
  hint.className = "field__hint";
  hint.id = `${id}-hint`;
  hint.textContent = options.noteHint;
  input.setAttribute("aria-describedby", hint.id);
  field.append(label, input, hint);
  const { dialog, cancel } = buildDialog(options, [field]);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm" ? input.value.trim() : null);
      dialog.remove();
    });
    dialog.showModal();
    cancel.focus();
  });
}
