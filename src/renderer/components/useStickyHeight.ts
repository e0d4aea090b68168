import { useLayoutEffect, type RefObject } from 'react';

/**
 * Publishes an element's height as a CSS custom property on the document
 * (e.g. --app-header-height), kept current as it changes, so sticky elements
 * below it know where to stop.
 */
export function useStickyHeight(ref: RefObject<HTMLElement | null>, property: `--${string}`): void {
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const root = document.documentElement;
    const publish = () => root.style.setProperty(property, `${Math.ceil(element.getBoundingClientRect().height)}px`);
    publish();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(publish);
    observer.observe(element);
    return () => {
      observer.disconnect();
      root.style.removeProperty(property);
    };
  }, [ref, property]);
}
