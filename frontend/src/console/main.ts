// The organiser console: event setup, attendees, badges and invites, the live
// dashboard and the report (issue 7).
import "./styles/console.css";
import "./app";

const root = document.getElementById("console-root");
if (root) root.replaceChildren(document.createElement("rc-console"));
