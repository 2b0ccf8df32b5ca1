// The organiser console: event setup, attendees, badges and invites, the live
// dashboard and the report (issue 7).
import "../kit/styles/reset.css";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/controls.css";
import "./app";
// Last, so its narrow-window rules adjust the pages' own sheets.
import "./styles/responsive.css";

const root = document.getElementById("console-root");
if (root) root.replaceChildren(document.createElement("rc-console"));
