import { html } from "lit";
import { customElement, property, state } from "lit/decorators.js";

import "./import-page.css";
import "../components/import-guide";
import "../components/import-plan";
import type { components } from "../../api/openapi";
import { ProblemError } from "../api";
import { LightElement } from "../../kit/light-element";
import { api } from "../context";
import { errorMessage } from "../errors";
import { hasKey, t, tn, type ConsoleKey } from "../i18n";
import { eventPath } from "../routes";
import type { ConsoleEvent, ExistingRows, ImportReport, ImportRowError } from "../types";

type Step = "choose" | "checking" | "preview" | "importing" | "done";
type Params = Record<string, string | number>;
type RowCode = components["schemas"]["ImportRowCode"];

/**
 * A bad row as the server reports it. The code and its details are optional here: a
 * refused import hands its rows back through a loosely typed problem document.
 */
type RowProblem = ImportRowError & Partial<Pick<components["schemas"]["ImportRowError"], "code" | "field" | "column" | "params">>;

/** Each row code's sentence: a code the API adds fails the type check until it is worded here. */
const ROW_TEXT: Record<RowCode, ConsoleKey> = {
  too_many_fields: "import.row.too_many_fields",
  name_missing: "import.row.name_missing",
  email_missing: "import.row.email_missing",
  email_invalid: "import.row.email_invalid",
  phone_invalid: "import.row.phone_invalid",
  field_too_long: "import.row.field_too_long",
  field_invalid: "import.row.field_invalid",
  email_duplicate_in_file: "import.row.email_duplicate_in_file",
  email_already_registered: "import.row.email_already_registered",
  registration_id_duplicate_in_file: "import.row.registration_id_duplicate_in_file",
  registration_id_conflict: "import.row.registration_id_conflict",
  attendee_matched_twice: "import.row.attendee_matched_twice",
};

/** Parameters that are line numbers: shown as the line column shows them, without grouping. */
const LINE_PARAMS = new Set(["line", "first_line"]);

/** The strings and numbers of a `params` object sent by the server; anything else is dropped. */
function paramsOf(value: unknown): Params {
  const found: Params = {};
  if (typeof value !== "object" || value === null) return found;
  for (const [name, param] of Object.entries(value)) {
    if (typeof param === "number" && LINE_PARAMS.has(name)) found[name] = String(param);
    else if (typeof param === "string" || typeof param === "number") found[name] = param;
  }
  return found;
}

/** An attendee field's name in the console's language ("email" → "E-mail"); the raw name if unknown. */
function fieldLabel(field: string): string {
  const key = `attendee.field.${field}`;
  return hasKey(key) ? t(key) : field;
}

/** Where in the row: the file's own column header, or the field's name when several columns feed it. */
function whereOf(row: RowProblem): string {
  if (row.column) return t("import.where.column", { column: row.column });
  return row.field ? fieldLabel(row.field) : "";
}

/** A bad row's problem in the console's language; the server's English when its code is unknown here. */
function rowReason(row: RowProblem): string {
  const code = row.code;
  if (!code || !Object.hasOwn(ROW_TEXT, code)) return row.reason;
  return t(ROW_TEXT[code], { ...paramsOf(row.params), where: whereOf(row) });
}

/**
 * Why a whole file was refused, worded when shown so that a language switch re-words it.
 * A refusal names its `code` (`import.file.<code>` in the catalogue); without a known
 * code, the server's own detail or what went wrong on the way.
 */
function refusal(error: unknown): () => string {
  if (error instanceof ProblemError) {
    const code = error.problem["code"];
    const key = typeof code === "string" ? `import.file.${code}` : "";
    if (hasKey(key)) {
      const params = paramsOf(error.problem["params"]);
      return () => t(key, params);
    }
  }
  const message = errorMessage(error);
  return () => message;
}

/** Rows matching someone registered whose details differ: only then is there a choice to make. */
function hasDifferences(report: ImportReport): boolean {
  return report.to_update.length > 0 || report.to_skip.some((row) => row.reason === "existing");
}

/**
 * CSV import in two steps: a dry run that shows the plan (rows to add, to update, to
 * skip) and every bad row with its line and reason, nothing written; then the real
 * import of a clean file, which carries out that very plan.
 */
@customElement("rc-import-page")
export class ImportPage extends LightElement {
  @property({ attribute: false }) event!: ConsoleEvent;
  @state() private step: Step = "choose";
  @state() private file: File | null = null;
  @state() private report: ImportReport | null = null;
  @state() private error: (() => string) | null = null;
  @state() private dragging = false;
  @state() private existing: ExistingRows = "skip";

  private async check(file: File): Promise<void> {
    this.file = file;
    this.report = null;
    this.error = null;
    this.step = "checking";
    try {
      this.report = await api.importCsv(this.event.id, file, true, this.existing);
      this.step = "preview";
    } catch (error) {
      this.error = refusal(error);
      this.step = "choose";
    }
    await this.updateComplete;
    this.querySelector<HTMLElement>("#import-result")?.focus();
  }

  private async importNow(): Promise<void> {
    if (!this.file) return;
    this.step = "importing";
    this.error = null;
    try {
      this.report = await api.importCsv(this.event.id, this.file, false, this.existing);
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
      this.error = refusal(error);
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

  /** Another choice for registered rows: the server plans again, so the preview is what will happen. */
  private chooseExisting(event: Event): void {
    this.existing = (event.target as HTMLInputElement).value === "update" ? "update" : "skip";
    if (this.file) void this.check(this.file);
  }

  private reset(): void {
    this.step = "choose";
    this.file = null;
    this.report = null;
    this.error = null;
  }

  /** Straight to the file picker, still within the click that asked for it. */
  private async chooseAnother(): Promise<void> {
    this.reset();
    await this.updateComplete;
    this.querySelector<HTMLInputElement>("#import-file")?.click();
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
      <rc-import-guide .eventId=${this.event.id}></rc-import-guide>
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
            <dt>${fieldLabel(field)}</dt>
            <dd>${column}</dd>
          </div>`,
        )}
      </dl>
    </details>`;
  }

  private renderExistingChoice(report: ImportReport) {
    if (!hasDifferences(report)) return null;
    const busy = this.step === "importing";
    return html`<fieldset class="choice">
      <legend>${t("import.existing.legend")}</legend>
      ${(["skip", "update"] as const).map(
        (mode) => html`<label class="choice__option">
          <input type="radio" name="existing" value=${mode} .checked=${this.existing === mode}
            ?disabled=${busy} @change=${this.chooseExisting} />
          <span><strong>${t(`import.existing.${mode}`)}</strong>
            <span class="field__hint">${t(`import.existing.${mode}.hint`)}</span></span>
        </label>`,
      )}
    </fieldset>`;
  }

  /** The confirm button says what it does: add only, or add and update. */
  private goLabel(report: ImportReport): string {
    if (this.step === "importing") return t("import.importing");
    if (!report.to_update.length) return tn("import.go", report.to_add.length);
    return t("import.goWithUpdates", { add: report.to_add.length, update: report.to_update.length });
  }

  private renderPreview(report: ImportReport) {
    const bad = report.errors.length;
    const work = report.to_add.length + report.to_update.length;
    return html`
      <section id="import-result" class="card import-result" tabindex="-1" aria-labelledby="import-result-title">
        <h3 id="import-result-title">${t("import.preview.title", { file: this.file?.name ?? "" })}</h3>
        <ul class="stat-row">
          <li><strong>${report.rows}</strong> ${t("import.rows")}</li>
          <li class="stat-ok"><strong>${report.valid}</strong> ${t("import.valid")}</li>
          <li class=${bad ? "stat-bad" : ""}><strong>${bad}</strong> ${t("import.invalid")}</li>
        </ul>
        ${this.renderColumns(report)}
        ${this.renderExistingChoice(report)}
        <rc-import-plan .report=${report}></rc-import-plan>
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
                        <th scope="row" class="cell-num">${row.line}</th>
                        <td>${rowReason(row)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>
              <div class="form__actions">${this.renderChooserButton()}</div>
            `
          : work
            ? html`
                <p class="notice">${report.to_update.length || report.to_skip.length
                  ? t("import.plan.summary", {
                      add: report.to_add.length,
                      update: report.to_update.length,
                      skip: report.to_skip.length,
                    })
                  : tn("import.ready", report.to_add.length)}</p>
                <div class="form__actions">
                  <button
                    type="button"
                    class="button button--primary"
                    ?disabled=${this.step === "importing"}
                    @click=${this.importNow}
                  >
                    ${this.goLabel(report)}
                  </button>
                  <button type="button" class="button" @click=${this.reset}>${t("common.cancel")}</button>
                </div>
              `
            : html`<p class="alert" role="alert">${t(report.valid ? "import.nothingToDo" : "import.emptyFile")}</p>
                <div class="form__actions">${this.renderChooserButton()}</div>`}
      </section>
    `;
  }

  private renderChooserButton() {
    return html`<button type="button" class="button button--primary" @click=${this.chooseAnother}>${t("import.chooseAnother")}</button>`;
  }

  private renderDone(report: ImportReport) {
    return html`
      <section id="import-result" class="card import-result import-result--done" tabindex="-1" aria-labelledby="import-done-title">
        <h3 id="import-done-title">${report.updated
          ? t("import.doneWithUpdates", { add: report.created, update: report.updated })
          : tn("import.done", report.created)}</h3>
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
      ${this.error && !(report && report.errors.length) ? html`<p class="alert" role="alert">${this.error()}</p>` : null}
      ${this.step === "choose" || this.step === "checking" ? this.renderChooser() : null}
      ${report && (this.step === "preview" || this.step === "importing") ? this.renderPreview(report) : null}
      ${report && this.step === "done" ? this.renderDone(report) : null}
    `;
  }
}
