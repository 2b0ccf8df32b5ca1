import { html, type PropertyValues } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./attendee-panel.css";
import { ProblemError } from "../api";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t, tn, type ConsoleKey } from "../i18n";
import { toast } from "../toast";
import { formatDateTime } from "../time";
import type { AccessRecord, Attendee, AttendeeFields, InvitationsQueued } from "../types";
import "./badge-preview";
import { confirmDialog, confirmWithNote } from "./confirm";
import { LightElement } from "../../kit/light-element";
import "./invitation-dialog";
import "./join-link";
import { printBadge } from "./print-badge";

const FIELDS: { name: keyof AttendeeFields; type: string; autocomplete: string; required?: boolean }[] = [
  { name: "name", type: "text", autocomplete: "off", required: true },
  { name: "email", type: "email", autocomplete: "off", required: true },
  { name: "company", type: "text", autocomplete: "off" },
  { name: "job_title", type: "text", autocomplete: "off" },
  { name: "phone", type: "tel", autocomplete: "off" },
  { name: "website", type: "url", autocomplete: "off" },
  { name: "linkedin", type: "url", autocomplete: "off" },
];

/**
 * One attendee in a side panel (a modal <dialog>): edit, badge, join link,
 * re-issues and removal. With no attendee it adds a new one.
 */
@customElement("rc-attendee-panel")
export class AttendeePanel extends LightElement {
  @property() eventId = "";
  @property({ attribute: false }) attendee: Attendee | null = null;
  /** Open on the join link (the help-desk shortcut from the list). */
  @property({ type: Boolean }) showInvite = false;
  /** Just added at the door: the join QR, large, and the badge to print come first. */
  @property({ type: Boolean }) walkIn = false;
  /** Whether the server can send invitations by e-mail. */
  @property({ type: Boolean }) mailConfigured = false;
  /** The event's time zone, for the dates of past re-issues. */
  @property() timeZone = "";
  @state() private link = "";
  @state() private linkIsNew = false;
  @state() private busy = false;
  @state() private error = "";
  @state() private fieldErrors = new Map<string, string>();
  @state() private reissues: AccessRecord[] = [];
  /** The badge was just re-issued: its print is offered at once. */
  @state() private badgeIsNew = false;
  @state() private inviting = false;

  protected override firstUpdated(): void {
    const dialog = this.querySelector("dialog");
    dialog?.showModal();
    if (this.showInvite && !this.attendee?.join_link_used) void this.loadInvite();
    void this.loadReissues();
  }

  private async loadReissues(): Promise<void> {
    if (!this.attendee) return;
    try {
      this.reissues = await api.accessReissues(this.eventId, this.attendee.id);
    } catch {
      // The history is a courtesy: the panel works without it.
      this.reissues = [];
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has("attendee") && changed.get("attendee")?.id !== this.attendee?.id) {
      this.link = "";
      this.linkIsNew = false;
      this.error = "";
      this.fieldErrors = new Map();
      this.reissues = [];
      this.badgeIsNew = false;
      void this.loadReissues();
      if (this.showInvite && this.attendee && !this.attendee.join_link_used) void this.loadInvite();
    }
  }

  private close(): void {
    this.querySelector("dialog")?.close();
  }

  private async loadInvite(): Promise<void> {
    if (!this.attendee) return;
    try {
      this.link = (await api.invite(this.eventId, this.attendee.id)).join_link;
      this.linkIsNew = false;
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const values: Partial<AttendeeFields> = {};
    for (const field of FIELDS) {
      const value = String(data.get(field.name) ?? "").trim();
      if (!this.attendee || this.attendee[field.name] !== value) values[field.name] = value;
    }
    this.error = "";
    this.fieldErrors = new Map();
    if (this.attendee && Object.keys(values).length === 0) {
      toast(t("attendee.unchanged"));
      return;
    }
    this.busy = true;
    try {
      if (this.attendee) {
        const saved = await api.updateAttendee(this.eventId, this.attendee.id, values);
        this.emit("attendee-changed", saved);
        toast(t("attendee.saved", { name: saved.name }));
      } else {
        const created = await api.addAttendee(this.eventId, values);
        // The panel stays open on the newcomer: their join QR and badge are what the door needs.
        this.emit("attendee-added", created);
        toast(t("attendee.added", { name: created.name }));
      }
    } catch (error) {
      if (error instanceof ProblemError) this.fieldErrors = error.fieldErrors;
      this.error = errorMessage(error);
      await this.updateComplete;
      this.querySelector<HTMLElement>("#attendee-error")?.focus();
    } finally {
      this.busy = false;
    }
  }

  private invitationQueued(queued: InvitationsQueued): void {
    if (!this.attendee) return;
    toast(tn("invitations.queued", queued.queued_now));
    this.emit("attendee-changed", { ...this.attendee, invitation_state: "queued", invite_error: "" });
    this.emit("invitations-queued", queued);
  }

  private async reissueBadge(): Promise<void> {
    const attendee = this.attendee;
    if (!attendee) return;
    const ok = await confirmDialog({
      title: t("attendee.reissueBadge.title"),
      body: t("attendee.reissueBadge.body", { name: attendee.name }),
      confirm: t("attendee.reissueBadge.confirm"),
    });
    if (!ok) return;
    try {
      const saved = await api.reissueBadge(this.eventId, attendee.id);
      this.emit("attendee-changed", saved);
      this.badgeIsNew = true;
      toast(t("attendee.reissueBadge.done", { name: saved.name }));
      await this.updateComplete;
      this.querySelector<HTMLElement>("#print-badge")?.focus();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  private async reissueAccess(): Promise<void> {
    const attendee = this.attendee;
    if (!attendee) return;
    const reason = await confirmWithNote({
      title: t("attendee.reissueAccess.title"),
      body: t("attendee.reissueAccess.body", { name: attendee.name }),
      confirm: t("attendee.reissueAccess.confirm"),
      danger: true,
      noteLabel: t("attendee.reissueAccess.reason"),
      noteHint: t("attendee.reissueAccess.reason.hint"),
      noteMaxLength: 280,
    });
    if (reason === null) return;
    try {
      const reissued = await api.reissueAccess(this.eventId, attendee.id, reason);
      this.link = reissued.join_link;
      this.linkIsNew = true;
      this.reissues = [reissued.record, ...this.reissues];
      this.emit("attendee-changed", { ...attendee, join_link_used: false });
      toast(t("attendee.reissueAccess.done", { name: attendee.name }));
      await this.updateComplete;
      this.querySelector<HTMLElement>("#attendee-access")?.focus();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  private async removeAttendee(): Promise<void> {
    const attendee = this.attendee;
    if (!attendee) return;
    const ok = await confirmDialog({
      title: t("attendee.remove.title"),
      body: t("attendee.remove.body", { name: attendee.name }),
      confirm: t("attendee.remove.confirm"),
      danger: true,
    });
    if (!ok) return;
    try {
      await api.removeAttendee(this.eventId, attendee.id);
      this.emit("attendee-removed", attendee.id);
      toast(t("attendee.remove.done", { name: attendee.name }));
      this.close();
    } catch (error) {
      toast(errorMessage(error), "error");
    }
  }

  private renderForm() {
    const attendee = this.attendee;
    return html`
      <form class="form" @submit=${this.save} @input=${this.clearFieldError} novalidate>
        ${this.error ? html`<p class="alert" id="attendee-error" role="alert" tabindex="-1">${this.error}</p>` : null}
        <div class="form__grid">
          ${FIELDS.map((field) => {
            const id = `attendee-${field.name}`;
            const problem = this.fieldErrors.get(field.name);
            return html`<div class="field">
              <label for=${id}>${t(`attendee.field.${field.name}` as ConsoleKey)}${field.required ? html` <span aria-hidden="true">*</span>` : null}</label>
              <input
                id=${id}
                name=${field.name}
                type=${field.type}
                autocomplete=${field.autocomplete}
                ?required=${field.required}
                .value=${attendee?.[field.name] ?? ""}
                aria-invalid=${problem ? "true" : "false"}
                aria-describedby=${problem ? `${id}-error` : ""}
              />
              ${problem ? html`<p class="field__error" id="${id}-error">${problem}</p>` : null}
            </div>`;
          })}
        </div>
        <div class="form__actions">
          <button class="button button--primary" type="submit" ?disabled=${this.busy}>
            ${attendee ? t("attendee.save") : t("attendee.add")}
          </button>
        </div>
      </form>
    `;
  }

  private renderWalkIn(attendee: Attendee) {
    return html`<section class="panel-section walk-in" aria-labelledby="attendee-walk-in">
      <h3 id="attendee-walk-in">${t("attendee.walkIn.title")}</h3>
      <p>${t("attendee.walkIn.lead", { name: attendee.name })}</p>
      ${this.link ? html`<rc-join-link class="join-link--large" .link=${this.link} .name=${attendee.name}></rc-join-link>` : null}
      <button type="button" class="button button--primary" id="walk-in-print" @click=${() => printBadge(this.eventId, attendee.id)}>
        ${t("attendee.printBadge")}
      </button>
    </section>`;
  }

  private renderManage(attendee: Attendee) {
    const walkIn = this.walkIn && !attendee.join_link_used;
    return html`
      ${walkIn ? this.renderWalkIn(attendee) : null}
      <section class="panel-section" aria-labelledby="attendee-access">
        <h3 id="attendee-access" tabindex="-1">${t("attendee.access")}</h3>
        ${this.linkIsNew ? html`<p class="notice" role="status">${t("attendee.reissueAccess.new")}</p>` : null}
        ${this.link && walkIn
          ? null
          : this.link
          ? html`<rc-join-link .link=${this.link} .name=${attendee.name}></rc-join-link>`
          : attendee.join_link_used
            ? html`<p class="field__hint" id="attendee-joined">${t("attendee.joined.hint", { name: attendee.name })}</p>`
            : html`<button type="button" class="button" @click=${this.loadInvite}>${t("invite.show")}</button>`}
        ${this.mailConfigured && !attendee.join_link_used
          ? html`<div class="panel-section__more">
              <p class="field__hint">
                <span class="chip chip--${attendee.invitation_state}">${t(`invite.state.${attendee.invitation_state}` as ConsoleKey)}</span>
                ${attendee.invite_error ? t("invite.failed.reason", { reason: attendee.invite_error }) : null}
              </p>
              <button type="button" class="button" id="panel-send-invitation" @click=${() => (this.inviting = true)}>
                ${t("attendee.sendInvitation")}
              </button>
            </div>`
          : null}
        ${this.inviting
          ? html`<rc-invitation-dialog
              .eventId=${this.eventId}
              .ids=${[attendee.id]}
              .count=${1}
              .sampleId=${attendee.id}
              .sampleName=${attendee.name}
              @invitations-queued=${(e: CustomEvent<InvitationsQueued>) => this.invitationQueued(e.detail)}
              @closed=${(e: Event) => {
                e.stopPropagation();
                this.inviting = false;
              }}
            ></rc-invitation-dialog>`
          : null}
        <div class="panel-section__more">
          <p class="field__hint">${t("attendee.reissueAccess.hint")}</p>
          <button
            type="button"
            class=${attendee.join_link_used && !this.link ? "button button--danger" : "button button--danger-outline"}
            @click=${this.reissueAccess}
          >
            ${t("attendee.reissueAccess.action")}
          </button>
        </div>
        ${this.reissues.length
          ? html`<div class="panel-section__more">
              <h4>${t("attendee.reissues.title")}</h4>
              <ul class="reissue-list">
                ${this.reissues.map(
                  (record) => html`<li>
                    ${t("attendee.reissues.item", {
                      date: formatDateTime(record.reissued_at, this.timeZone || undefined),
                      name: record.organiser_name,
                      email: record.organiser_email,
                    })}${record.reason ? html` — <q>${record.reason}</q>` : null}
                  </li>`,
                )}
              </ul>
            </div>`
          : null}
      </section>
      <section class="panel-section" aria-labelledby="attendee-badge">
        <h3 id="attendee-badge">${t("attendee.badge", { version: attendee.badge_version })}</h3>
        <rc-badge-preview
          .eventId=${this.eventId}
          .attendeeId=${attendee.id}
          .name=${attendee.name}
          .version=${attendee.badge_version}
        ></rc-badge-preview>
        <div class="panel-section__actions">
          <button
            type="button"
            id="print-badge"
            class=${this.badgeIsNew ? "button button--primary" : "button"}
            @click=${() => printBadge(this.eventId, attendee.id)}
          >
            ${this.badgeIsNew ? t("attendee.printNewBadge") : t("attendee.printBadge")}
          </button>
        </div>
        <p class="field__hint">${t("attendee.reissueBadge.hint")}</p>
        <button type="button" class="button" @click=${this.reissueBadge}>${t("attendee.reissueBadge.action")}</button>
      </section>
      <section class="panel-section" aria-labelledby="attendee-details">
        <h3 id="attendee-details">${t("attendee.details")}</h3>
        ${this.renderForm()}
      </section>
      <section class="panel-section panel-section--danger" aria-labelledby="attendee-remove">
        <h3 id="attendee-remove">${t("attendee.remove.heading")}</h3>
        <p class="field__hint">${t("attendee.remove.hint")}</p>
        <button type="button" class="button button--danger" @click=${this.removeAttendee}>${t("attendee.remove.action")}</button>
      </section>
    `;
  }

  /** A field's error goes as soon as the field is edited. */
  private clearFieldError(event: Event): void {
    const name = (event.target as HTMLInputElement).name;
    if (!this.fieldErrors.has(name)) return;
    const remaining = new Map(this.fieldErrors);
    remaining.delete(name);
    this.fieldErrors = remaining;
  }

  protected override render() {
    const attendee = this.attendee;
    return html`
      <dialog class="dialog dialog--panel" aria-labelledby="attendee-panel-title" @close=${() => this.emit("closed")}>
        <header class="dialog__head">
          <div>
            <h2 id="attendee-panel-title">${attendee ? attendee.name : t("attendee.new")}</h2>
            ${attendee
              ? html`<p class="muted">${[attendee.job_title, attendee.company].filter(Boolean).join(" · ") || attendee.email}</p>`
              : null}
          </div>
          <button type="button" class="button button--ghost" @click=${this.close}>${t("common.close")}</button>
        </header>
        <div class="dialog__body">${attendee ? this.renderManage(attendee) : this.renderForm()}</div>
      </dialog>
    `;
  }
}
