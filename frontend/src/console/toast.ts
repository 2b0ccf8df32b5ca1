// Short confirmations ("Link copied"): a visual toast, which is a manual popover
// so that it shows in the top layer, above an open modal dialog too; and a live
// region that stays in the page, so screen readers announce the same words.
type Tone = "info" | "error";

let visual: HTMLElement | null = null;
let spoken: HTMLElement | null = null;
let timer = 0;

function elements(): { visual: HTMLElement; spoken: HTMLElement } {
  if (!visual?.isConnected || !spoken?.isConnected) {
    visual = document.createElement("div");
    visual.className = "toast";
    visual.setAttribute("aria-hidden", "true");
    visual.setAttribute("popover", "manual");
    spoken = document.createElement("div");
    spoken.className = "visually-hidden";
    spoken.setAttribute("role", "status");
    document.body.append(visual, spoken);
  }
  return { visual, spoken };
}

function raise(target: HTMLElement): void {
  if (typeof target.showPopover !== "function") return;
  // Shown again to come on top of whatever entered the top layer since.
  if (target.matches(":popover-open")) target.hidePopover();
  target.showPopover();
}

export function toast(message: string, tone: Tone = "info"): void {
  const { visual: box, spoken: live } = elements();
  box.textContent = message;
  box.dataset.tone = tone;
  live.textContent = message;
  raise(box);
  box.classList.add("toast--shown");
  window.clearTimeout(timer);
  timer = window.setTimeout(() => {
    box.classList.remove("toast--shown");
    if (typeof box.hidePopover === "function" && box.matches(":popover-open")) box.hidePopover();
    live.textContent = "";
  }, 4000);
}
