import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { compact, visiblePanels } from "./layout.ts";

const p = (id: number, x: number, y: number, w: number, h: number, extra: object = {}) => ({
  id,
  type: "stat",
  gridPos: { x, y, w, h },
  ...extra,
});

describe("layout", () => {
  it("compacts panels upwards without overlapping", () => {
    const out = compact([
      { panel: {}, x: 0, y: 5, w: 12, h: 4 },
      { panel: {}, x: 12, y: 2, w: 12, h: 8 },
      { panel: {}, x: 0, y: 20, w: 24, h: 2 },
    ]);
    assert.deepEqual(
      out.map((o) => [o.x, o.y]),
      [
        [12, 0],
        [0, 0],
        [0, 8],
      ],
    );
  });
  it("hides the panels of collapsed rows and shows those of expanded ones", () => {
    const panels = [
      { id: 1, type: "row", title: "A", collapsed: false, gridPos: { x: 0, y: 0, w: 24, h: 1 } },
      p(2, 0, 1, 12, 4),
      {
        id: 3,
        type: "row",
        title: "B",
        collapsed: true,
        gridPos: { x: 0, y: 5, w: 24, h: 1 },
        panels: [p(4, 0, 6, 24, 3)],
      },
    ];
    assert.deepEqual(
      visiblePanels(panels, new Set()).map((o) => [o.panel.id, o.y]),
      [
        [1, 0],
        [2, 1],
        [3, 5],
      ],
    );
    assert.deepEqual(
      visiblePanels(panels, new Set(["1", "3"])).map((o) => [o.panel.id, o.y, o.collapsed]),
      [
        [1, 0, true],
        [3, 1, false],
        [4, 2, undefined],
      ],
    );
  });
});
