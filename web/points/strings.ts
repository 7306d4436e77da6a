/** The points feature's words (English, Simplified Chinese); the findings' text comes from the core. */
import type { Lang } from '../../src/i18n/index';
import { useUi } from '../store/uiStore';

const en = {
  heading: 'Capture points',
  add: 'Add a capture point…',
  addHint: 'Open a capture of the same traffic made elsewhere on the path (e.g. the pod, when this one is the node): packets seen here and never there were lost in between.',
  loading: 'Matching the captures…',
  failed: 'The captures could not be matched: {{message}}',
  name: 'Name of point {{index}}',
  point: 'Point {{index}}',
  stats: '{{packets}} TCP packets, {{matched}} matched, clock {{offset}} ms from point 0',
  none: 'Every packet seen at one point was seen at the next: nothing was lost between the points.',
  clear: 'Remove the other point',
  open: 'Show on the joint chart',
  more: 'Details',
  zoomLoss: 'Zoom to the first loss',
  zoomLossHelp: 'Zooms this chart only; the chart above keeps its range',
  follow: 'Follow the chart above',
  axisTime: 'Time since capture start (s)',
  axisSeq: 'Relative sequence number',
  chart: 'Both points: {{a}} and {{b}}',
  chartHint: 'Each dot is a packet (sequence number over time); a line joins the same packet at the two points; a red cross is a packet never seen at the next point.',
  lost: 'lost',
  noStream: 'This connection was not seen at the other point.',
  truncated: 'Only the first packets are drawn.',
  copyLink: 'Copy link (names both captures)',
};

const zh: typeof en = {
  heading: '抓包点',
  add: '添加抓包点…',
  addHint: '打开在路径上另一处同时抓到的同一流量（例如本文件来自节点，另一个来自 Pod）：在这里出现而在那里从未出现的包，丢在两点之间。',
  loading: '正在匹配抓包文件…',
  failed: '无法匹配抓包文件：{{message}}',
  name: '抓包点 {{index}} 的名称',
  point: '抓包点 {{index}}',
  stats: '{{packets}} 个 TCP 包，{{matched}} 个已匹配，时钟相对抓包点 0 偏差 {{offset}} 毫秒',
  none: '在一个抓包点出现的包都在下一个抓包点出现了：两点之间没有丢包。',
  clear: '移除另一个抓包点',
  open: '在联合图中查看',
  more: '详情',
  zoomLoss: '放大到第一次丢包',
  zoomLossHelp: '只缩放这张图；上面的图保持原来的范围',
  follow: '跟随上面的图',
  axisTime: '自捕获开始的时间（秒）',
  axisSeq: '相对序列号',
  chart: '两个抓包点：{{a}} 与 {{b}}',
  chartHint: '每个点是一个包（序号随时间）；连线连接两个抓包点上的同一个包；红色叉号是在下一个抓包点从未出现的包。',
  lost: '丢失',
  noStream: '这个连接在另一个抓包点没有出现。',
  truncated: '只画出了前面的包。',
  copyLink: '复制链接（包含两个抓包文件）',
};

export type PointsKey = keyof typeof en;
/** Every language's words (tests check the Chinese punctuation). */
export const POINTS_TEXTS: Record<Lang, typeof en> = { en, 'zh-CN': zh };

export function pointsText(lang: Lang, key: PointsKey, params: Record<string, string | number> = {}): string {
  return POINTS_TEXTS[lang][key].replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params[k] ?? ''));
}

export function usePointsText(): (key: PointsKey, params?: Record<string, string | number>) => string {
  const lang = useUi((s) => s.lang);
  return (key, params) => pointsText(lang, key, params);
}
