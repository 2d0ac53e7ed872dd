// The one import point for the console's components: preact 11, its hooks and htm's `html`
// tagged templates (JSX without a build step), served from node_modules under /pages/vendor/.
export { html, render, h, Component } from '/pages/vendor/htm-preact.mjs';
export {
  useState,
  useEffect,
  useMemo,
  useCallback,
  useRef,
  useReducer,
  useContext,
} from '/pages/vendor/preact-hooks.mjs';
export { createContext, Fragment } from '/pages/vendor/preact.mjs';
