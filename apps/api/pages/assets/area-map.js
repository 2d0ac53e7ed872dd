// A map of a store's area drawn locally in SVG: no tiles, nothing loaded from anywhere. Positions
// are projected around the store (equirectangular: fine over a few kilometres).
const SVG = 'http://www.w3.org/2000/svg';
const HALF = 500; // the viewBox is -500..500 both ways
const M_PER_DEG_LAT = 110_540;

function node(tag, attrs = {}, parent) {
  const n = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, String(v));
  parent?.append(n);
  return n;
}

export class AreaMap {
  /**
   * @param {SVGSVGElement} svg
   * @param {{ lat: number, lng: number }} center
   * @param {number} radiusM the area shown (the store's service radius)
   */
  constructor(svg, center, radiusM, centerLabel) {
    this.svg = svg;
    this.center = center;
    this.radiusM = Math.max(300, radiusM);
    this.centerLabel = centerLabel;
    this.homes = new Map();
    this.riders = new Map();
    svg.setAttribute('viewBox', `${-HALF} ${-HALF} ${2 * HALF} ${2 * HALF}`);
    svg.replaceChildren();
    this.base = node('g', {}, svg);
    this.routes = node('g', {}, svg);
    this.marks = node('g', {}, svg);
    this.drawBase();
  }

  /** Metres east/north of the centre, then viewBox units. */
  project({ lat, lng }) {
    const scale = (HALF * 0.88) / this.radiusM;
    const east =
      (lng - this.center.lng) * M_PER_DEG_LAT * Math.cos((this.center.lat * Math.PI) / 180);
    const north = (lat - this.center.lat) * M_PER_DEG_LAT;
    const clamp = (v) => Math.max(-HALF + 24, Math.min(HALF - 24, v));
    return { x: clamp(east * scale), y: clamp(-north * scale) };
  }

  drawBase() {
    const r = HALF * 0.88;
    node('circle', { class: 'area', r }, this.base);
    // A faint kilometre grid and rings at a third and two thirds of the radius.
    const stepM = this.radiusM > 4000 ? 2000 : this.radiusM > 1500 ? 1000 : 500;
    const step = (stepM * r) / this.radiusM;
    for (let v = step; v < HALF; v += step)
      for (const s of [v, -v]) {
        node('line', { class: 'road', x1: s, y1: -HALF, x2: s, y2: HALF }, this.base);
        node('line', { class: 'road', x1: -HALF, y1: s, x2: HALF, y2: s }, this.base);
      }
    for (const f of [1 / 3, 2 / 3]) node('circle', { class: 'ring', r: r * f }, this.base);
    node('rect', { class: 'store', x: -22, y: -22, width: 44, height: 44, rx: 8 }, this.base);
    const label = node('text', { x: 30, y: -26 }, this.base);
    label.textContent = this.centerLabel;
    const scale = node('text', { x: -HALF + 20, y: HALF - 24 }, this.base);
    scale.textContent = `radius ${(this.radiusM / 1000).toFixed(1)} km`;
  }

  /** A delivery address (a small house square) with a label. */
  setHome(id, position, label) {
    let home = this.homes.get(id);
    if (!home) {
      home = node('g', { class: 'home-mark' }, this.marks);
      node('rect', { class: 'home', x: -14, y: -14, width: 28, height: 28, rx: 5 }, home);
      node('text', { x: 22, y: 10 }, home);
      this.homes.set(id, home);
    }
    home.position = position;
    const { x, y } = this.project(position);
    home.setAttribute('transform', `translate(${x} ${y})`);
    home.querySelector('text').textContent = label;
    this.drawRoute(id);
  }

  /** A rider's dot; `stale` before any position was received (drawn at the store). */
  setRider(id, position, stale = false) {
    let rider = this.riders.get(id);
    if (!rider) {
      rider = node('g', { class: 'rider', 'data-order': id }, this.marks);
      node('circle', { r: 22 }, rider);
      this.riders.set(id, rider);
    }
    rider.position = position;
    rider.classList.toggle('stale', stale);
    const { x, y } = this.project(position);
    // A CSS transform (not the attribute) so that the dot glides between positions.
    rider.style.transform = `translate(${x}px, ${y}px)`;
    this.drawRoute(id);
  }

  drawRoute(id) {
    const rider = this.riders.get(id);
    const home = this.homes.get(id);
    let route = this.routes.querySelector(`[data-order="${id}"]`);
    if (!rider || !home) return route?.remove();
    route ??= node('line', { class: 'route', 'data-order': id }, this.routes);
    const a = this.project(rider.position);
    const b = this.project(home.position);
    for (const [k, v] of Object.entries({ x1: a.x, y1: a.y, x2: b.x, y2: b.y }))
      route.setAttribute(k, v);
  }

  remove(id) {
    this.homes.get(id)?.remove();
    this.riders.get(id)?.remove();
    this.homes.delete(id);
    this.riders.delete(id);
    this.routes.querySelector(`[data-order="${id}"]`)?.remove();
  }

  ids() {
    return new Set([...this.homes.keys(), ...this.riders.keys()]);
  }
}
