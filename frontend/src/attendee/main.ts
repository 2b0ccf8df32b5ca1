import "../kit/styles/reset.css";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/controls.css";
import "./app";
import { installLinkInterception } from "./routes";
import { api, setState, start } from "./state";
import { setPhotoLoader } from "../kit/avatar";
import { startLive } from "./live/sessions";
import { registerServiceWorker, whenUpdateReady } from "./sw-bridge";

installLinkInterception();
setPhotoLoader((url) => api.photo(url));
whenUpdateReady((apply) => setState({ updateReady: apply }));
void start();
startLive();
void registerServiceWorker().catch((error: unknown) => console.warn("service worker not registered", error));
