// The PWA's yes/no questions: the kit's <dialog>, in the attendee's words and buttons.
import { confirmQuestion, type DialogLook, type Question } from "../kit/dialog";
import { t } from "./i18n";
import "./styles/dialog.css";

const LOOK: DialogLook = {
  dialog: "app-dialog",
  actions: "app-dialog-actions",
  cancel: "button secondary",
  confirm: "button primary",
  danger: "button danger",
};

/** Ask before an action that cannot be taken back; true when the attendee confirms. */
export function confirmAction(question: Omit<Question, "cancel">): Promise<boolean> {
  return confirmQuestion({ ...question, cancel: t("dialog.cancel") }, LOOK);
}
