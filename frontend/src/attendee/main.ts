import "../kit/styles/reset.css";
import "./styles/tokens.css";
import "./styles/base.css";
import "./styles/layout.css";
import "./styles/forms.css";
import "./styles/controls.css";
import "./app";
import { setUpInstall } from "./install";
import { installLinkInterception } from "./routes";
import { api, setState, start } from "./state";
import { setPhotoLoader } from "../kit/avatar";
import { registerServiceWorker, whenUpdateReady } from "./sw-bridge";

installLinkInterception();
setPhotoLoader((url) => api.photo(url));
setUpInstall();
whenUpdateReady((apply) => setState({ updateReady: apply }));
void start();
void registerServiceWorker().catch((error: unknown) => console.warn("service worker not registered", error));
