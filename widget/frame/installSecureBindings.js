import ko from 'knockout';
import SecureBindingsProvider from 'knockout-secure-binding';

/**
 * Makes Knockout parse `data-bind` with knockout-secure-binding instead of its
 * default provider, which compiles bindings with `new Function` and would be
 * blocked by the frame's CSP (no 'unsafe-eval'). Bindings see only their view
 * model: no globals, no virtual elements.
 *
 * knockout-secure-binding is a UMD file that expects a global `ko`; the build
 * (widget/tooling/knockoutSecureBindingPlugin.js) hands it the bundled
 * Knockout and turns it into a module whose default export is the provider.
 */
export function installSecureBindings() {
  ko.bindingProvider.instance = new SecureBindingsProvider({
    attribute: 'data-bind',
    globals: {},
    bindings: ko.bindingHandlers,
    noVirtualElements: true,
  });
}
