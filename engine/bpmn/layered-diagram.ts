import type { BpmnModdle, CreatedElement } from 'bpmn-moddle';
import { isNode } from './moddle-node.ts';
import type { IdAllocator } from './naming.ts';

type Box = { x: number; y: number; width: number; height: number };

const COLUMN_WIDTH = 180;
const ROW_HEIGHT = 140;
const ORIGIN = { x: 100, y: 100 };

function size(element: CreatedElement): { width: number; height: number } {
  if (element.$type.endsWith('Gateway')) return { width: 50, height: 50 };
  if (element.$type.endsWith('Event')) return { width: 36, height: 36 };
  return { width: 100, height: 80 };
}

/**
 * A simple layered diagram (BPMNDI) for a process: columns by distance from the start along the sequence
 * flows, rows in order of discovery, boundary events on their host's lower edge, orthogonal edges. The export
 * uses it when bpmn-auto-layout gives up (it throws on some graphs with loops and parallel flows).
 */
export function layeredDiagram(
  moddle: BpmnModdle,
  ids: IdAllocator,
  process: CreatedElement,
  nodes: CreatedElement[],
  flows: CreatedElement[],
): CreatedElement {
  const successors = new Map<CreatedElement, CreatedElement[]>();
  for (const flow of flows) {
    const source = hostOf(flow.sourceRef);
    const target = flow.targetRef;
    if (source && isNode(target)) successors.set(source, [...(successors.get(source) ?? []), target]);
  }
  const placed = nodes.filter((node) => node.$type !== 'bpmn:BoundaryEvent');
  const column = new Map<CreatedElement, number>();
  const queue: CreatedElement[] = [];
  const enqueue = (node: CreatedElement, at: number) => {
    if (column.has(node)) return;
    column.set(node, at);
    queue.push(node);
  };
  const hasIncoming = new Set(flows.map((flow) => flow.targetRef));
  const drain = () => {
    for (let node = queue.shift(); node; node = queue.shift()) {
      for (const next of successors.get(node) ?? []) enqueue(next, (column.get(node) ?? 0) + 1);
    }
  };
  const unreached = () => placed.find((node) => !column.has(node));
  for (const node of placed) if (!hasIncoming.has(node)) enqueue(node, 0);
  drain();
  for (let node = unreached(); node; node = unreached()) {
    enqueue(node, Math.max(0, ...column.values()) + 1);
    drain();
  }
  const rows = new Map<number, number>();
  const boxes = new Map<CreatedElement, Box>();
  for (const node of placed) {
    const col = column.get(node) ?? 0;
    const row = rows.get(col) ?? 0;
    rows.set(col, row + 1);
    const { width, height } = size(node);
    const centerX = ORIGIN.x + col * COLUMN_WIDTH;
    const centerY = ORIGIN.y + row * ROW_HEIGHT;
    boxes.set(node, { x: centerX - width / 2, y: centerY - height / 2, width, height });
  }
  const perHost = new Map<CreatedElement, number>();
  for (const node of nodes) {
    const host = node.$type === 'bpmn:BoundaryEvent' ? node.attachedToRef : undefined;
    const hostBox = isNode(host) ? boxes.get(host) : undefined;
    if (!isNode(host) || !hostBox) continue;
    const index = perHost.get(host) ?? 0;
    perHost.set(host, index + 1);
    boxes.set(node, { x: hostBox.x + 10 + index * 42, y: hostBox.y + hostBox.height - 18, width: 36, height: 36 });
  }
  const bottom = Math.max(...[...boxes.values()].map((box) => box.y + box.height));

  const planeElements: CreatedElement[] = [];
  for (const node of nodes) {
    const box = boxes.get(node);
    if (!box) continue;
    planeElements.push(
      moddle.create('bpmndi:BPMNShape', {
        id: ids.allocate(`${String(node.id)}_di`),
        bpmnElement: node,
        bounds: moddle.create('dc:Bounds', box),
        ...(node.$type === 'bpmn:ExclusiveGateway' ? { isMarkerVisible: true } : {}),
      }),
    );
  }
  flows.forEach((flow, index) => {
    const from = isNode(flow.sourceRef) ? boxes.get(flow.sourceRef) : undefined;
    const to = isNode(flow.targetRef) ? boxes.get(flow.targetRef) : undefined;
    if (!from || !to) return;
    const fromBoundary = isNode(flow.sourceRef) && flow.sourceRef.$type === 'bpmn:BoundaryEvent';
    const points = route(from, to, fromBoundary, bottom + 40 + (index % 5) * 8);
    planeElements.push(
      moddle.create('bpmndi:BPMNEdge', {
        id: ids.allocate(`${String(flow.id)}_di`),
        bpmnElement: flow,
        waypoint: points.map((point) => moddle.create('dc:Point', point)),
      }),
    );
  });
  return moddle.create('bpmndi:BPMNDiagram', {
    id: ids.allocate(`BPMNDiagram_${String(process.id)}`),
    plane: moddle.create('bpmndi:BPMNPlane', {
      id: ids.allocate(`BPMNPlane_${String(process.id)}`),
      bpmnElement: process,
      planeElement: planeElements,
    }),
  });
}

/**
 * Orthogonal waypoints: forward edges leave right and enter left, edges within a column run vertically,
 * backward edges run below the diagram.
 */
function route(from: Box, to: Box, fromBoundary: boolean, lane: number): { x: number; y: number }[] {
  const fromCenter = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const toCenter = { x: to.x + to.width / 2, y: to.y + to.height / 2 };
  if (fromBoundary) {
    const start = { x: fromCenter.x, y: from.y + from.height };
    if (toCenter.x > from.x + from.width) return [start, { x: start.x, y: toCenter.y }, { x: to.x, y: toCenter.y }];
    return [start, { x: start.x, y: lane }, { x: toCenter.x, y: lane }, { x: toCenter.x, y: to.y + to.height }];
  }
  const sameColumn = to.x < from.x + from.width && from.x < to.x + to.width;
  if (sameColumn && to.y !== from.y) {
    const below = to.y > from.y;
    const start = { x: fromCenter.x, y: below ? from.y + from.height : from.y };
    const end = { x: toCenter.x, y: below ? to.y : to.y + to.height };
    if (start.x === end.x) return [start, end];
    const middle = (start.y + end.y) / 2;
    return [start, { x: start.x, y: middle }, { x: end.x, y: middle }, end];
  }
  if (to.x > from.x + from.width) {
    const start = { x: from.x + from.width, y: fromCenter.y };
    const end = { x: to.x, y: toCenter.y };
    if (start.y === end.y) return [start, end];
    const middle = (start.x + end.x) / 2;
    return [start, { x: middle, y: start.y }, { x: middle, y: end.y }, end];
  }
  const start = { x: fromCenter.x, y: from.y + from.height };
  const end = { x: toCenter.x, y: to.y + to.height };
  return [start, { x: start.x, y: lane }, { x: end.x, y: lane }, end];
}

/** A boundary event's flows are laid out from its host's column. */
function hostOf(value: unknown): CreatedElement | undefined {
  if (!isNode(value)) return undefined;
  if (value.$type === 'bpmn:BoundaryEvent' && isNode(value.attachedToRef)) return value.attachedToRef;
  return value;
}
