import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import { ProblemError } from "../api";
import { ConsoleElement } from "../components/console-element";
import { api } from "../context";
import { errorMessage } from "../errors";
import { t, tn, type ConsoleKey } from "../i18n";
import { eventPath } from "../routes";
import type { ConsoleEvent, ImportReport } from "../types";

type Step = "choose" | "checking" | "preview" | "importing" | "done";

/**
 * CSV import in two steps: a dry run that lists every bad row with its line and
 * reason (nothing is written), then the real import of a clean file.
 */
@customElement("rc-import-page")
export class ImportPage extends ConsoleElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private step: Step = "choose";
  @state() private file: File | null = null;
  @state() private report: ImportReport | null = null;
  @state() private error = "";
  @state() private dragging = false;

  private async check(file: File): Promise<void> {
    this.file = file;
    this.report = null;
    this.error = "";
    this.step = "checking";
    try {
      this.report = await api.importCsv(this.event.id, file, true);
      this.step = "preview";
    } catch (error) {
      this.error = errorMessage(error);
      this.step = "choose";
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>("#import-result")?.focus();
  }

  private async importNow(): Promise<void> {
    if (!this.file) return;
    this.step = "importing";
    this.error = "";
    try {
      this.report = await api.importCsv(this.event.id, this.file, false);
      this.step = "done";
      this.emit("attendees-changed");
    } catch (error) {
      // The server re-checks: rows that became bad since the preview come back here.
      if (error instanceof ProblemError && error.rowErrors.length && this.report) {
        this.report = { ...this.report, errors: error.rowErrors, valid: this.report.rows - error.rowErrors.length };
        this.step = "preview";
      } else {
        this.step = "preview";
      }
      this.error = errorMessage(error);
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>("#import-result")?.focus();
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = "";
    if (file) void this.check(file);
  }

  private dropped(event: DragEvent): void {
    event.preventDefault();
    this.dragging = false;
    const file = event.dataTransfer?.files?.[0];
    if (file) void this.check(file);
  }

  private reset(): void {
    this.step = "choose";
    this.file = null;
    this.report = null;
    this.error = "";
  }

  private renderChooser() {
    const busy = this.step === "checking";
    return html`
      <div
        class="dropzone ${this.dragging ? "dropzone--over" : ""}"
        @dragover=${(e: DragEvent) => {
          e.preventDefault();
          this.dragging = true;
        }}
        @dragleave=${() => (this.dragging = false)}
        @drop=${this.dropped}
      >
        <p class="dropzone__title">${t("import.drop")}</p>
        <input
          id="import-file"
          class="visually-hidden file-input"
          type="file"
          accept=".csv,text/csv"
          aria-describedby="import-hint"
          ?disabled=${busy}
          @change=${this.picked}
        />
        <label class="button button--primary file-button" for="import-file">${t("import.choose")}</label>
        <p class="field__hint" id="import-hint">${t("import.hint")}</p>
        ${busy ? html`<p role="status">${t("import.checking", { file: this.file?.name ?? "" })}</p>` : null}
      </div>
    `;
  }

  private renderColumns(report: ImportReport) {
    const entries = Object.entries(report.columns);
    if (!entries.length) return null;
    return html`<details class="columns">
      <summary>${t("import.columns")}</summary>
      <dl class="columns__list">
        ${entries.map(
          ([field, column]) => html`<div>
            <dt>${t(`attendee.field.${field}` as ConsoleKey) === `attendee.field.${field}` ? field : t(`attendee.field.${field}` as ConsoleKey)}</dt>
            <dd>${column}</dd>
          </div>`,
        )}
      </dl>
    </details>`;
  }

  private renderPreview(report: ImportReport) {
    const bad = report.errors.length;
    return html`
      <section id="import-result" class="card import-result" tabindex="-1" aria-labelledby="import-result-title">
        <h3 id="import-result-title">${t("import.preview.title", { file: this.file?.name ?? "" })}</h3>
        <ul class="stat-row">
          <li><strong>${report.rows}</strong> ${t("import.rows")}</li>
          <li class="stat-ok"><strong>${report.valid}</strong> ${t("import.valid")}</li>
          <li class=${bad ? "stat-bad" : ""}><strong>${bad}</strong> ${t("import.invalid")}</li>
        </ul>
        ${this.renderColumns(report)}
        ${bad
          ? html`
              <div class="alert" role="alert">
                <p><strong>${tn("import.bad", bad)}</strong></p>
                <p>${t("import.nothingWritten")}</p>
              </div>
              <div class="table-wrap">
                <table class="table table--compact" aria-label=${t("import.errors.caption")}>
                  <thead>
                    <tr>
                      <th scope="col" class="cell-num">${t("import.col.line")}</th>
                      <th scope="col">${t("import.col.reason")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    ${report.errors.map(
                      (row) => html`<tr class="import-error">
                        <td class="cell-num">${row.line}</td>
                        <td>${row.reason}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              <div class="form__actions">${this.renderChooserButton()}</div>
            `
          : report.valid
            ? html`
                <p class="notice">${tn("import.ready", report.valid)}</p>
                <div class="form__actions">
                  <button
                    type="button"
                    class="button button--primary"
                    ?disabled=${this.step === "importing"}
                    @click=${this.importNow}
                  >
                    ${this.step === "importing" ? t("import.importing") : tn("import.go", report.valid)}
                  </button>
                  <button type="button" class="button" @click=${this.reset}>${t("common.cancel")}</button>
                </div>
              `
            : html`<p class="alert" role="alert">${t("import.emptyFile")}</p>
                <div class="form__actions">${this.renderChooserButton()}</div>`}
      </section>
    `;
  }

  private renderChooserButton() {
    return html`<button type="button" class="button button--primary" @click=${this.reset}>${t("import.chooseAnother")}</button>`;
  }

  private renderDone(report: ImportReport) {
    return html`
      <section id="import-result" class="card import-result import-result--done" tabindex="-1" aria-labelledby="import-done-title">
        <h3 id="import-done-title">${tn("import.done", report.created)}</h3>
        <p>${t("import.done.next")}</p>
        <div class="form__actions">
          <a class="button button--primary" href=${eventPath(this.event.id, "attendees")}>${t("import.done.list")}</a>
          <a class="button" href=${eventPath(this.event.id, "badges")}>${t("import.done.badges")}</a>
          <button type="button" class="button button--ghost" @click=${this.reset}>${t("import.another")}</button>
        </div>
      </section>
    `;
  }

  protected override render() {
    const report = this.report;
    return html`
      <div class="section-head">
        <div>
          <h2 tabindex="-1">${t("import.title")}</h2>
          <p class="muted">${t("import.lead")}</p>
        </div>
      </div>
      <ol class="steps" aria-label=${t("import.steps")}>
        <li class=${this.step === "choose" || this.step === "checking" ? "steps__current" : "steps__done"}
          aria-current=${this.step === "choose" || this.step === "checking" ? "step" : "false"}>${t("import.step.choose")}</li>
        <li class=${this.step === "preview" || this.step === "importing" ? "steps__current" : this.step === "done" ? "steps__done" : ""}
          aria-current=${this.step === "preview" || this.step === "importing" ? "step" : "false"}>${t("import.step.check")}</li>
        <li class=${this.step === "done" ? "steps__current" : ""} aria-current=${this.step === "done" ? "step" : "false"}>${t("import.step.import")}</li>
      </ol>
      ${this.error && !(report && report.errors.length) ? html`<p class="alert" role="alert">${this.error}</p>` : null}
      ${this.step === "choose" || this.step === "checking" ? this.renderChooser() : null}
      ${report && (this.step === "preview" || this.step === "importing") ? this.renderPreview(report) : null}
      ${report && this.step === "done" ? this.renderDone(report) : null}
    `;
  }
}
