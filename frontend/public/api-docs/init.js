// Starts Swagger UI on the app's own OpenAPI document; a file of its own because
// the Content-Security-Policy allows no inline script.
window.addEventListener("load", () => {
  window.ui = window.SwaggerUIBundle({
    url: "/api/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
  });
});
