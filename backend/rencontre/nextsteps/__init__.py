"""Next steps: a coffee, a call or a resource two mutually connected attendees agree on."""
