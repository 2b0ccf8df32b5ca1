import "./confirm.css";
import { ask, buildDialog, confirmQuestion, type DialogLook, type Question } from "../../kit/dialog";
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

// The console's buttons; the dialog itself is the kit's, shared with the PWA.
const LOOK: DialogLook = {
  dialog: "dialog dialog--small",
  actions: "dialog__actions",
  cancel: "button",
  confirm: "button button--primary",
  danger: "button button--danger",
};

function question(options: ConfirmOptions): Question {
  return { ...options, cancel: t("common.cancel") };
}

/** A modal yes/no question on a native <dialog> (focus trap and Escape for free), built with DOM APIs. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
  return confirmQuestion(question(options), LOOK);
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
  return ask(buildDialog(question(options), LOOK, [field]), (confirmed) => (confirmed ? input.value.trim() : null));
}
