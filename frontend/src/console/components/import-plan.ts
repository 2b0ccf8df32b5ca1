import { html } from "lit";
import { customElement, property } from "lit/decorators.js";

import "./import-plan.css";
import { hasKey, t, tn } from "../i18n";
import { LightElement } from "../../kit/light-element";
import type { ImportReport, PlannedRow } from "../types";

type Change = PlannedRow["changes"][number];

function fieldLabel(field: string): string {
  const key = `attendee.field.${field}`;
  return hasKey(key) ? t(key) : field;
}

function changeText(change: Change): string {
  return t("import.plan.change", {
    field: fieldLabel(change.field),
    before: change.before || "—",
    after: change.after,
  });
}

function skipReason(row: PlannedRow): string {
  if (row.reason !== "existing") return t("import.plan.skip.unchanged");
  return t("import.plan.skip.existing", { fields: row.changes.map((c) => fieldLabel(c.field)).join(", ") });
}

/**
 * The dry run's plan, row by row and named as the import will store them: who is added,
 * whose details change (before → after), and who is left as they are.
 */
@customElement("rc-import-plan")
export class ImportPlan extends LightElement {
  @property({ attribute: false }) report!: ImportReport;

  private table(caption: string, rows: PlannedRow[], detail: (row: PlannedRow) => unknown) {
    return html`<div class="table-wrap">
      <table class="table table--compact import-plan__table" aria-label=${caption}>
        <thead>
          <tr>
            <th scope="col" class="cell-num">${t("import.col.line")}</th>
            <th scope="col">${t("attendee.field.name")}</th>
            <th scope="col">${t("attendee.field.email")}</th>
            <th scope="col">${t("import.plan.col.detail")}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (row) => html`<tr>
              <td class="cell-num">${row.line}</td>
              <th scope="row">${row.name}</th>
              <td>${row.email}</td>
              <td>${detail(row)}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  private section(kind: "add" | "update" | "skip", rows: PlannedRow[], detail: (row: PlannedRow) => unknown) {
    if (!rows.length) return null;
    const title = tn(`import.plan.${kind}`, rows.length);
    return html`<details class="import-plan__section import-plan__section--${kind}" ?open=${kind !== "skip"}>
      <summary>${title}</summary>
      ${this.table(title, rows, detail)}
    </details>`;
  }

  protected override render() {
    const report = this.report;
    return html`<div class="import-plan">
      ${this.section("add", report.to_add, (row) => row.company)}
      ${this.section(
        "update",
        report.to_update,
        (row) => html`<ul class="import-plan__changes">
          ${row.changes.map((change) => html`<li>${changeText(change)}</li>`)}
        </ul>`,
      )}
      ${this.section("skip", report.to_skip, skipReason)}
    </div>`;
  }
}
