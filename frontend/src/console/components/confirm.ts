import { t } from "../i18n";

export interface ConfirmOptions {
  title: string;
  body: string;
  confirm: string;
  danger?: boolean;
}

/** A modal yes/no question on a native <dialog> (focus trap and Escape for free), built with DOM APIs. */
export function confirmDialog(options: ConfirmOptions): Promise<boolean> {
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
  dialog.append(heading, body, actions);
  document.body.append(dialog);
  return new Promise((resolve) => {
    cancel.addEventListener("click", () => dialog.close("cancel"));
    accept.addEventListener("click", () => dialog.close("confirm"));
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    dialog.showModal();
    cancel.focus();
  });
}
