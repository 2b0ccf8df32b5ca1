// The organiser console: event setup, attendees, badges and invites, the live
// dashboard and the report (issue 7).
import "./styles/base.css";
import "./styles/controls.css";
import "./styles/pages.css";
import "./styles/attendees.css";
import "./styles/import.css";
import "./styles/live.css";
import "./styles/report.css";
import "./styles/responsive.css";
import "./app";

const root = document.getElementById("console-root");
if (root) root.replaceChildren(document.createElement("rc-console"));
