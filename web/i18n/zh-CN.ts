/** 界面文字（简体中文）；诊断文字由核心（src/i18n）提供。 */
import type { Messages } from './en';

export const zhCN: Messages = {
  app: { title: 'Capture Inspector 抓包分析', tagline: 'TCP 连接为何卡住或中断？所有数据只在你的浏览器内处理。' },
  open: {
    file: '打开抓包文件…', sample: '打开示例', drop: '把抓包文件拖到页面任意位置（pcap、pcapng、.gz）',
    dropHere: '松开即可打开抓包文件',
    sampleHint: '第一次使用？打开示例：一个真实的 PMTU 黑洞（1450 字节、DF 置位的报文始终未送达）。',
    cancel: '取消', loading: '正在读取 {{name}}…',
    progress: '{{bytes}} / {{total}} · {{packets}} 个包 · 每秒 {{rate}} 个包',
    sampleFailed: '无法加载示例：{{message}}',
  },
  error: {
    crashed: '分析意外中止（{{message}}）。请重新打开该文件或其他文件。',
    failed: '无法读取抓包文件：{{message}}',
    cancelled: '已取消读取：显示前 {{bytes}}（共 {{total}}）。',
    partial: '显示出错前读到的全部内容：{{packets}} 个包。',
    noAnalysis: '此版本不含 TCP 分析，仅显示抓包概要。',
  },
  summary: {
    title: '抓包概要', file: '文件', format: '格式', linkTypes: '链路类型', interfaces: '接口',
    packets: '包数', tcpPackets: 'TCP 包数', span: '时间跨度', streams: 'TCP 流',
    problemStreams: '有发现', tunnels: '隧道', none: '无', warnings: '警告', at: '位于字节 {{offset}}',
  },
  findings: { title: '诊断发现', none: '此抓包中未发现问题。', stream: '流 {{stream}}', open: '在此发现处打开流 {{stream}}' },
  severity: { critical: '严重', error: '错误', warning: '警告', info: '提示' },
  streams: {
    title: 'TCP 流', problemsOnly: '只看有问题的', filter: '筛选：地址、端口或流编号',
    count: '{{shown}} / {{total}}', empty: '没有匹配的流。',
    col: { index: '流', a: '端点 A', b: '端点 B', packets: '包数', bytes: '字节', start: '开始', duration: '时长', retrans: '重传', holes: '空洞', flags: '标志', findings: '发现' },
    flagsHelp: 'R 重传，F 快速重传，O 乱序，L 前一段未抓到，D 重复 ACK，Z 零窗口',
  },
  stream: {
    title: '流 {{stream}}', back: '全部流', dir: '方向', chart: '序列号图',
    chartPending: '此流的序列号图显示在这里。', remedy: '处理建议', analysis: '分析',
    noFindings: '此流没有诊断发现。', packets: '流 {{stream}} 的包',
  },
  mtu: { label: '路径 MTU', custom: '自定义', ethernet: '1500 以太网', ipip: '1480 IPIP', vxlan: '1450 VXLAN', calico: '1440 Calico IPIP', wireguard: '1420 WireGuard', oversized: '大于路径 MTU（{{mtu}}）且 DF 置位' },
  packets: {
    col: { frame: '序号', time: '时间', dir: '方向', seq: 'Seq', ack: 'Ack', len: '长度', ipLen: 'IP 长度', df: 'DF', win: '窗口', flags: '标志', why: '分析' },
  },
  detail: { title: '帧 {{frame}}', none: '选择一个包以查看其协议头和字节。', captured: '捕获 {{cap}} / {{orig}} 字节', hexOnly: '此版本无法解码协议头；以下为从文件读出的原始字节。', bytes: '字节', loading: '正在读取该包…' },
  flag: {
    retransmission: '重传：这段数据之前已经发送过。',
    fast_retransmission: '快速重传：在重复 ACK 或 SACK 报告缺口后 20 毫秒内重发。',
    spurious_retransmission: '虚假重传：所有字节都已被确认过。',
    out_of_order: '乱序：在更靠后的数据之后到达，且间隔不足一个往返（更像乱序而非丢包）。',
    lost_segment: '前一段未抓到：此包之前的序列号有缺口。',
    ack_lost_segment: '确认了未抓到的数据：确认号超出了抓包中见到的数据。',
    duplicate_ack: '重复 ACK：接收方仍在等待同一个字节。',
    zero_window: '零窗口：接收方缓冲区已满，发送方必须暂停。',
    zero_window_probe: '零窗口探测：发送一个字节，试探窗口是否重新打开。',
    zero_window_probe_ack: '对零窗口探测的应答。',
    window_full: '窗口已满：发送方已用满接收方通告的窗口。',
    window_update: '窗口更新：只有接收窗口发生变化。',
    keep_alive: '保活：重发一个旧字节以维持连接。',
    keep_alive_ack: '对保活包的应答。',
    reused_ports: '端口复用：在旧连接的地址端口对上建立了新连接。',
  },
  keys: {
    title: '键盘操作', close: '关闭', up: '上一个流或包', down: '下一个流或包',
    enter: '打开选中的流', esc: '清除选择（先帧，后流）', help: '显示此列表',
    left: '方向 A→B', right: '方向 B→A',
  },
  lang: { label: '语言' },
  units: { s: '{{v}} 秒', ms: '{{v}} 毫秒' },
};
