import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./invitation-dialog";
import { api } from "../context";
import { t, tn } from "../i18n";
import { toast } from "../toast";
import type { Attendee, InvitationProgress, InvitationsQueued } from "../types";
import { LightElement } from "../../kit/light-element";

const POLL_MS = 2000;

/**
 * The invitations of an event at a glance: counts by state, kept fresh while the server
 * sends in the background, and "invite everyone not yet invited". Tells the page when the
 * counts move, so that the rows show the new states.
 */
@customElement("rc-invitation-status")
export class InvitationStatus extends LightElement {
  @property() eventId = "";
  /** An attendee not yet invited, whose mail the dialog previews. */
  @property({ attribute: false }) sample: Attendee | null = null;
  @state() private progress: InvitationProgress | null = null;
  @state() private asking = false;
  private timer = 0;
  private loading: AbortController | null = null;

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.clearTimeout(this.timer);
    this.loading?.abort();
  }

  /** Read the counts again (after a send, a CSV download, an added attendee). */
  async refresh(): Promise<void> {
    window.clearTimeout(this.timer);
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    try {
      const fresh = await api.invitations(this.eventId, controller.signal);
      const moved = JSON.stringify(fresh.counts) !== JSON.stringify(this.progress?.counts);
      const first = this.progress === null;
      this.progress = fresh;
      if (moved || first) this.emit("invitations-progress", fresh);
    } catch {
      // The counts are a courtesy: the list shows each state anyway.
    }
    if (this.waiting() > 0) this.timer = window.setTimeout(() => void this.refresh(), POLL_MS);
  }

  private waiting(): number {
    const counts = this.progress?.counts;
    return counts ? counts.queued + counts.sending : 0;
  }

  private queued(event: CustomEvent<InvitationsQueued>): void {
    toast(tn("invitations.queued", event.detail.queued_now));
    this.progress = event.detail;
    this.emit("invitations-progress", event.detail);
    void this.refresh();
  }

  protected override render() {
    const progress = this.progress;
    if (!progress) return null;
    const counts = progress.counts;
    const waiting = this.waiting();
    return html`
      <div class="invitation-status">
        ${progress.mail_configured
          ? html`<button
              type="button"
              class="button"
              id="invite-everyone"
              ?disabled=${counts.pending === 0}
              @click=${() => (this.asking = true)}
            >
              ${t("invitations.everyone")}
            </button>`
          : html`<p class="notice" id="mail-not-configured">${t("invitations.notConfigured")}</p>`}
        <p class="muted" id="invitation-progress" role="status">
          ${waiting > 0 ? html`<strong>${t("invitations.sending", { waiting })}</strong> ` : null}
          ${t("invitations.progress", {
            sent: counts.sent,
            waiting,
            failed: counts.failed,
            joined: counts.joined,
            pending: counts.pending,
          })}
        </p>
      </div>
      ${this.asking
        ? html`<rc-invitation-dialog
            .eventId=${this.eventId}
            .ids=${null}
            .count=${counts.pending}
            .sampleId=${this.sample?.id ?? ""}
            .sampleName=${this.sample?.name ?? ""}
            @invitations-queued=${this.queued}
            @closed=${() => (this.asking = false)}
          ></rc-invitation-dialog>`
        : null}
    `;
  }
}
