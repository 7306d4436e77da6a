/**
 * The permalink feature's words, in their own i18next namespace ("share") so the feature ships
 * with its strings; added to whatever i18next instance the app made, the first time they are used.
 */
import type { i18n } from 'i18next';
import { useTranslation } from 'react-i18next';

const en = {
  copyLink: 'Copy link', copySnapshot: 'Copy self-contained link', copied: 'Link copied', copyFailed: 'Copy the link below:',
  downloaded: 'Downloaded {{name}}', exportFailed: 'Nothing to export yet: wait until the capture and its chart are shown.',
  mask: 'Mask addresses', exportMd: 'Markdown report', exportSvg: 'Chart as SVG', exportPng: 'Chart as PNG',
  linkHint: 'The link holds no packet data: the recipient opens it with the same capture file.',
  snapshotHint: 'This link holds a snapshot of the chart and the analysis: it opens without the capture. {{size}} characters.',
  needs: {
    title: 'This link points into a capture',
    body: 'To see it, open the capture it was made from: {{name}} ({{size}}), fingerprint {{fp}}…',
    unnamed: 'a capture', unknownSize: 'size unknown',
    privacy: 'The file is read in this browser only; nothing is uploaded.',
    points: 'The link also compares this capture with another capture of the same traffic: its file is asked for next.',
  },
  point: {
    title: 'This link also needs the capture of another point',
    body: 'The finding compares two captures of the same traffic. Open the capture of point {{index}} ({{point}}): {{name}} ({{size}}), fingerprint {{fp}}…',
    choose: 'Open the capture of point {{index}}…',
    loading: 'Reading {{name}} and matching it with the open capture…',
    mismatch: '{{got}} ({{gotSize}}, fingerprint {{gotFp}}…) is not the capture the link names for point {{index}}, so it was not added. Open {{name}} ({{size}}, fingerprint {{fp}}…).',
    sizeMismatch: '{{got}} ({{gotSize}}) is not the capture the link names for point {{index}}: that one has another size. It was not read. Open {{name}} ({{size}}, fingerprint {{fp}}…).',
    failed: 'The capture could not be added as a point: {{message}}',
    unnamed: 'unnamed',
  },
  mismatch: {
    title: 'This is not the capture the link was made from',
    body: 'The link needs {{name}} ({{size}}, fingerprint {{fp}}…), but {{got}} ({{gotSize}}, fingerprint {{gotFp}}…) is open. The view from the link was not applied.',
    hint: 'Open the right file to see the link’s view, or dismiss this to keep exploring the open capture.',
    dismiss: 'Dismiss',
  },
  keep: {
    label: 'Keep captures in this browser',
    hint: 'Opened captures are copied into this browser’s private storage (never uploaded), so a reload or a link opened later on this machine reopens them without another drop.',
    show: 'Kept: {{count}}', writing: 'Keeping…', failed: 'Could not keep the capture: {{message}}',
    title: 'Captures kept in this browser', none: 'No capture is kept.',
    name: 'File', size: 'Size', date: 'Kept on', remove: 'Remove', clear: 'Clear all', close: 'Close', total: 'In all: {{size}}',
    needsOrigin: 'Keeping captures in the browser needs the app served from a web address; this copy was opened from a file, so drop the capture again next time.',
  },
  notFound: 'The capture matches, but stream {{stream}} of the link is not in it; showing the overview.',
  upgraded: 'This link was made by an older version (link format {{version}}); it was read as today’s format.',
  error: {
    title: 'This link cannot be opened',
    malformed: 'The link is damaged: {{message}}',
    'too-large': 'The link is too long to be genuine: {{message}}',
    'too-new': 'This link was made by a newer version of Capture Inspector. Open it with the current version.',
    tampered: 'The link was changed or cut short after it was made. Ask for the whole link again.',
    'invalid-field': 'The link is damaged: {{message}}',
    'snapshot-invalid': 'The snapshot in this link is damaged and was not shown.',
    empty: '',
  },
  snapshot: {
    badge: 'Snapshot · read-only',
    title: 'Stream {{stream}}: {{from}} → {{to}}',
    body: 'This is a snapshot carried in the link: the chart window and the analysis as they were shared. The capture is not needed and nothing was sent anywhere.',
    explore: 'To explore the whole capture, open {{name}} ({{size}}).',
    masked: 'Addresses are masked.',
    noFinding: 'No finding text in this snapshot.',
    remedy: 'What to do',
    numbers: 'Numbers',
  },
};

type Strings = typeof en;

const zhCN: Strings = {
  copyLink: '复制链接', copySnapshot: '复制自包含链接', copied: '链接已复制', copyFailed: '请复制下面的链接：',
  downloaded: '已下载 {{name}}', exportFailed: '暂时无法导出：请等抓包文件和图表显示出来后再试。',
  mask: '隐藏地址', exportMd: 'Markdown 报告', exportSvg: '图表导出为 SVG', exportPng: '图表导出为 PNG',
  linkHint: '链接中不含任何报文数据：接收者需用同一个抓包文件打开。',
  snapshotHint: '此链接带有图表和分析的快照：无需抓包文件即可打开。共 {{size}} 个字符。',
  needs: {
    title: '此链接指向某个抓包文件中的内容',
    body: '请打开生成该链接所用的抓包文件：{{name}}（{{size}}），指纹 {{fp}}…',
    unnamed: '某个抓包文件', unknownSize: '大小未知',
    privacy: '文件只在本浏览器中读取，不会上传。',
    points: '此链接还把该抓包与同一流量在另一处的抓包进行对比：接下来会请您打开那个文件。',
  },
  point: {
    title: '此链接还需要另一个抓包点的抓包文件',
    body: '该结论对比了同一流量的两份抓包。请打开抓包点 {{index}}（{{point}}）的抓包文件：{{name}}（{{size}}），指纹 {{fp}}…',
    choose: '打开抓包点 {{index}} 的抓包文件…',
    loading: '正在读取 {{name}} 并与已打开的抓包匹配…',
    mismatch: '{{got}}（{{gotSize}}，指纹 {{gotFp}}…）不是链接为抓包点 {{index}} 指定的抓包文件，因此没有添加。请打开 {{name}}（{{size}}，指纹 {{fp}}…）。',
    sizeMismatch: '{{got}}（{{gotSize}}）不是链接为抓包点 {{index}} 指定的抓包文件：两者大小不同，因此没有读取。请打开 {{name}}（{{size}}，指纹 {{fp}}…）。',
    failed: '无法将该抓包添加为抓包点：{{message}}',
    unnamed: '未命名',
  },
  mismatch: {
    title: '这不是生成该链接所用的抓包文件',
    body: '链接需要 {{name}}（{{size}}，指纹 {{fp}}…），但当前打开的是 {{got}}（{{gotSize}}，指纹 {{gotFp}}…）。链接中的视图没有被应用。',
    hint: '请打开正确的文件以查看链接中的视图，或关闭此提示继续查看当前抓包。',
    dismiss: '关闭',
  },
  keep: {
    label: '在此浏览器中保留抓包',
    hint: '打开的抓包文件会复制到本浏览器的私有存储中（不会上传），之后在本机刷新页面或打开链接时可直接重新打开，无需再次拖入。',
    show: '已保留：{{count}}', writing: '正在保留…', failed: '无法保留抓包：{{message}}',
    title: '此浏览器中保留的抓包', none: '没有保留的抓包。',
    name: '文件', size: '大小', date: '保留时间', remove: '删除', clear: '全部清除', close: '关闭', total: '共计：{{size}}',
    needsOrigin: '在浏览器中保留抓包需要通过网址访问本应用；此副本是从文件打开的，下次请重新拖入抓包。',
  },
  notFound: '抓包文件匹配，但其中没有链接所指的流 {{stream}}；显示概览。',
  upgraded: '此链接由旧版本生成（链接格式 {{version}}），已按当前格式读取。',
  error: {
    title: '无法打开此链接',
    malformed: '链接已损坏：{{message}}',
    'too-large': '链接过长，不可能是正常生成的：{{message}}',
    'too-new': '此链接由更新版本的 Capture Inspector 生成，请使用最新版本打开。',
    tampered: '链接在生成后被修改或截断。请重新获取完整链接。',
    'invalid-field': '链接已损坏：{{message}}',
    'snapshot-invalid': '此链接中的快照已损坏，未予显示。',
    empty: '',
  },
  snapshot: {
    badge: '快照 · 只读',
    title: '流 {{stream}}：{{from}} → {{to}}',
    body: '这是链接中携带的快照：分享时的图表窗口和分析文字。无需抓包文件，也没有向任何地方发送数据。',
    explore: '如需查看完整抓包，请打开 {{name}}（{{size}}）。',
    masked: '地址已隐藏。',
    noFinding: '此快照中没有分析文字。',
    remedy: '处理建议',
    numbers: '数据',
  },
};

const added = new WeakSet<i18n>();

function ensure(inst: i18n): void {
  if (added.has(inst)) return;
  inst.addResourceBundle('en', 'share', en, true, false);
  inst.addResourceBundle('zh-CN', 'share', zhCN, true, false);
  added.add(inst);
}

/** useTranslation for the "share" namespace, with its strings in place. */
export function useShareT() {
  const { i18n: inst } = useTranslation();
  ensure(inst);
  return useTranslation('share');
}
