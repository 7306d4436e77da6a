/** Messages between the UI and the points worker. */
import type { PointsView } from './pointsCore';

export interface PointsRequest {
  id: number;
  files: File[];
  names: string[];
}

export type PointsReply = { id: number; ok: true; view: PointsView } | { id: number; ok: false; message: string };
