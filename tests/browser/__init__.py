"""The built site in a real headless Chromium: language choice, layout, accessibility,
console and page weight, as a reader's browser meets them."""
