// The History API router shared by the PWA and the console: each app brings its
// route table and says which of its own links it follows in the page; the
// listening, navigating and link interception live here once.

export interface RouterOptions<R> {
  /** The route of a URL; every URL has one (a not-found route included). */
  match(url: URL): R;
  /** For a same-origin link, the path to navigate to in the page, or null to leave the link to the browser. */
  linkPath(url: URL): string | null;
}

export interface Router<R> {
  currentRoute(): R;
  onRouteChange(listener: (route: R) => void): () => void;
  navigate(path: string, options?: { replace?: boolean }): void;
  /** Same-document navigation for plain <a href> links (no handlers in the markup), and the back button. */
  installLinkInterception(): void;
}

export function createRouter<R>({ match, linkPath }: RouterOptions<R>): Router<R> {
  const listeners = new Set<(route: R) => void>();

  const currentRoute = (): R => match(new URL(location.href));

  const announce = (): void => {
    const route = currentRoute();
    for (const listener of listeners) listener(route);
  };

  const navigate = (path: string, options: { replace?: boolean } = {}): void => {
    if (options.replace) history.replaceState(null, "", path);
    else history.pushState(null, "", path);
    announce();
  };

  const onRouteChange = (listener: (route: R) => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };

  const installLinkInterception = (): void => {
    window.addEventListener("popstate", announce);
    document.addEventListener("click", (event) => {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const anchor = event
        .composedPath()
        .find((node): node is HTMLAnchorElement => node instanceof HTMLAnchorElement && node.hasAttribute("href"));
      if (!anchor || anchor.target || anchor.hasAttribute("download")) return;
      const url = new URL(anchor.href, location.href);
      if (url.origin !== location.origin) return;
      const path = linkPath(url);
      if (path === null) return;
      event.preventDefault();
      navigate(path);
    });
  };

  return { currentRoute, onRouteChange, navigate, installLinkInterception };
}
