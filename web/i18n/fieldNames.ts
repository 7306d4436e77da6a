/**
 * Simplified Chinese names of the packet-detail fields (src/decode/detail.ts gives each an English
 * label and, where there is one, tshark's field name). Keyed by tshark's field name, which stays
 * the same whatever the label says; a field without one (or sharing one, as TCP's option kinds do)
 * by its English label. English is the decoder's own label.
 */
import type { Lang } from '../../src/i18n/index';

/** By tshark field name. */
export const ZH_FIELDS: Record<string, string> = {
  // Ethernet, VLAN tags and other link layers
  'eth.dst': '目的地址', 'eth.src': '源地址', 'eth.type': '类型',
  'fddi.dst': '目的地址', 'fddi.src': '源地址', 'fddi.fc': '帧控制',
  'vntag.dst': '目的', 'vntag.src': '源', 'vntag.etype': '类型',
  'etag.ecid_base': 'E-CID 基值', 'etag.etype': '类型',
  'ieee8021ah.cdst': '客户目的地址', 'ieee8021ah.csrc': '客户源地址', 'ieee8021ah.isid': 'I-SID', 'ieee8021ah.etype': '类型',
  'cfp.fcs': 'FCS', 'cfp.ftag': 'FTag', 'cfp.ttl': 'TTL',
  'cmd.sgt': '安全组标签', 'cmd.type': '类型',
  'chdlc.address': '地址', 'chdlc.protocol': '协议',
  'ppp.protocol': '协议',
  'pppoe.code': '代码', 'pppoe.payload_length': '载荷长度', 'pppoe.session_id': '会话 ID', 'pppoe.type': '类型', 'pppoe.version': '版本',
  'llc.control': '控制', 'llc.dsap': 'DSAP', 'llc.ssap': 'SSAP', 'llc.oui': '组织代码', 'llc.type': '类型',
  'mpls.label': '标签', 'mpls.exp': '实验位', 'mpls.bottom': '标签栈底', 'mpls.ttl': 'TTL',
  'sll.pkttype': '包类型', 'sll.hatype': '链路层地址类型', 'sll.halen': '链路层地址长度', 'sll.src.eth': '源', 'sll.etype': '协议', 'sll.ifindex': '接口索引',
  'null.family': '地址族',
  'nflog.family': '地址族', 'nflog.version': '版本', 'nflog.res_id': '资源 ID', 'nflog.tlv_length': 'TLV 长度', 'nflog.tlv_type': 'TLV 类型',
  'radiotap.version': '头部版本', 'radiotap.length': '头部长度', 'radiotap.present.word': '存在标志字', 'radiotap.flags': '标志', 'radiotap.flags.fcs': '末尾带 FCS',
  'wlan.fc': '帧控制', 'wlan.fc.type_subtype': '类型/子类型', 'wlan.fc.ds': 'DS 状态', 'wlan.fc.protected': '受保护', 'wlan.duration': '持续时间',
  'wlan.ra': '接收方地址', 'wlan.ta': '发送方地址', 'wlan.da': '目的地址', 'wlan.sa': '源地址', 'wlan.seq': '序列号', 'wlan.qos': 'QoS 控制', 'wlan.fcs': 'FCS',
  'wlan_aggregate.a_mdsu.da': '目的', 'wlan_aggregate.a_mdsu.sa': '源', 'wlan_aggregate.a_mdsu.length': '长度',
  // IPv4, IPv6, ICMP
  'ip.version': '版本', 'ip.hdr_len': '头部长度', 'ip.dsfield': '区分服务', 'ip.len': '总长度', 'ip.id': '标识',
  'ip.flags': '标志', 'ip.flags.df': '不分片（DF）', 'ip.flags.mf': '更多分片', 'ip.frag_offset': '分片偏移',
  'ip.ttl': '生存时间（TTL）', 'ip.proto': '协议', 'ip.checksum': '头部校验和', 'ip.src': '源地址', 'ip.dst': '目的地址',
  'ipv6.version': '版本', 'ipv6.tclass': '流量类别', 'ipv6.flow': '流标签', 'ipv6.plen': '载荷长度', 'ipv6.nxt': '下一个头部',
  'ipv6.hlim': '跳数限制', 'ipv6.src': '源地址', 'ipv6.dst': '目的地址',
  'ipv6.fragment.offset': '分片偏移', 'ipv6.fragment.more': '更多分片', 'ipv6.fragment.id': '标识',
  'icmp.mtu': '下一跳 MTU', 'icmpv6.mtu': 'MTU',
  // TCP, UDP
  'tcp.srcport': '源端口', 'tcp.dstport': '目的端口', 'tcp.seq': '序列号', 'tcp.seq_raw': '序列号（原始值）',
  'tcp.ack': '确认号', 'tcp.ack_raw': '确认号（原始值）', 'tcp.hdr_len': '头部长度', 'tcp.flags': '标志', 'tcp.flags.str': '标志（文字）',
  'tcp.window_size_value': '窗口', 'tcp.window_size': '窗口（已缩放）', 'tcp.checksum': '校验和', 'tcp.urgent_pointer': '紧急指针', 'tcp.len': '数据段长度',
  'tcp.options.mss_val': '最大报文段长度（MSS）', 'tcp.options.sack_perm': '允许 SACK', 'tcp.options.sack_le_raw': 'SACK 左边沿（原始值）',
  'tcp.options.sack_re_raw': 'SACK 右边沿（原始值）', 'tcp.options.timestamp.tsval': '时间戳值', 'tcp.options.timestamp.tsecr': '时间戳回显应答',
  'tcp.options.wscale.shift': '窗口缩放位移', 'tcp.options.wscale.multiplier': '窗口缩放倍数',
  'udp.srcport': '源端口', 'udp.dstport': '目的端口', 'udp.length': '长度', 'udp.checksum': '校验和',
  // Tunnels
  'gre.flags_and_version': '标志和版本', 'gre.proto': '协议类型', 'gre.checksum': '校验和', 'gre.key': '密钥', 'gre.sequence_number': '序列号',
  'vxlan.flags': '标志', 'vxlan.vni': 'VNI',
  'geneve.version': '版本', 'geneve.option_len': '选项长度', 'geneve.proto_type': '协议类型', 'geneve.vni': 'VNI',
  'gtp.flags': '标志', 'gtp.message': '消息类型', 'gtp.length': '长度', 'gtp.teid': 'TEID', 'gtp.seq_number': '序列号', 'gtp.npdu_number': 'N-PDU 编号',
  'gtp.ext_hdr.length': '扩展头部长度', 'gtp.ext_hdr.next': '下一个扩展头部类型',
  'erspan.version': '版本', 'erspan.vlan': 'VLAN', 'erspan.spanid': 'Span ID',
  'teredo.auth.idlen': '客户端标识长度', 'teredo.auth.aulen': '认证值长度', 'teredo.orig.port': '源 UDP 端口', 'teredo.orig.addr': '源 IPv4 地址',
  'ayiya.idlen': '身份字段长度', 'ayiya.siglen': '签名长度', 'ayiya.opcode': '操作码', 'ayiya.nextheader': '下一个头部',
  'data.len': '长度',
  // ARP, DNS
  'arp.hw.type': '硬件类型', 'arp.proto.type': '协议类型', 'arp.hw.size': '硬件地址长度', 'arp.proto.size': '协议地址长度', 'arp.opcode': '操作码',
  'arp.src.hw_mac': '发送方 MAC 地址', 'arp.src.proto_ipv4': '发送方 IP 地址', 'arp.dst.hw_mac': '目标 MAC 地址', 'arp.dst.proto_ipv4': '目标 IP 地址',
  'dns.id': '事务 ID', 'dns.flags': '标志', 'dns.flags.rcode': '应答码', 'dns.count.queries': '问题数', 'dns.count.answers': '回答记录数',
  'dns.count.auth_rr': '权威记录数', 'dns.count.add_rr': '附加记录数', 'dns.qry.name': '查询名称',
  'dns.length': '长度', 'dns.flags.response': '响应', 'dns.flags.opcode': '操作码', 'dns.flags.authoritative': '权威应答',
  'dns.flags.truncated': '截断', 'dns.flags.recdesired': '期望递归', 'dns.flags.recavail': '可用递归',
  'dns.count.prerequisites': '先决条件数', 'dns.count.updates': '更新数', 'dns.qry.type': '查询类型', 'dns.qry.class': '查询类',
  'dns.resp.name': '名称', 'dns.resp.type': '类型', 'dns.resp.ttl': '生存时间', 'dns.a': '地址', 'dns.aaaa': 'AAAA 地址',
  'dns.cname': 'CNAME', 'dns.rr.udp_payload_size': 'EDNS UDP 载荷大小',
};

/** tshark names that several labels share: those fields are named by their label. */
const SHARED_KEYS = new Set(['tcp.option_kind']);

/** By English label: fields without a tshark name of their own. */
export const ZH_LABELS: Record<string, string> = {
  'End of options': '选项结束', 'No-operation': '空操作（NOP）', 'Length': '长度', 'Next header': '下一个头部', 'Problem': '问题',
  'Sequence number': '序列号', 'Captured bytes end here': '捕获的字节到此为止', 'Link type': '链路类型', 'FCS': 'FCS',
  'Operation': '操作', 'Answer': '回答', 'Authority': '权威', 'Additional': '附加', 'Reply code name': '应答码名称', 'Data': '数据',
};

/** Layer names (protocol names stay as they are). */
export const ZH_LAYERS: Record<string, string> = {
  'Truncated': '截断', 'Data': '数据', 'Frame check sequence': '帧校验序列', 'Unsupported link type': '不支持的链路类型',
  'Tunnel nesting too deep': '隧道嵌套过深', 'Linux cooked capture': 'Linux cooked 抓包', 'Linux cooked capture v2': 'Linux cooked 抓包 v2',
  'Logical-Link Control': '逻辑链路控制（LLC）', 'PW Ethernet control word': 'PW 以太网控制字', 'PPPoE session': 'PPPoE 会话',
  'A-MSDU subframe': 'A-MSDU 子帧', 'GTP extension header': 'GTP 扩展头部', 'Teredo authentication': 'Teredo 认证',
  'Teredo origin indication': 'Teredo 源指示', '802.1ah provider backbone bridge': '802.1ah 运营商骨干桥',
};

/** A packet-detail field's name in the UI's language. */
export function fieldLabel(f: { name: string; key?: string }, lang: Lang): string {
  if (lang !== 'zh-CN') return f.name;
  const byLabel = ZH_LABELS[f.name];
  if (f.key === 'tcp.option_kind') {
    const m = /^Option kind (\d+)$/.exec(f.name);
    return m ? `选项类型 ${m[1]}` : (byLabel ?? f.name);
  }
  return (f.key && !SHARED_KEYS.has(f.key) ? ZH_FIELDS[f.key] : undefined) ?? byLabel ?? f.name;
}

/** A packet-detail layer's name in the UI's language. */
export function layerLabel(name: string, lang: Lang): string {
  return lang === 'zh-CN' ? (ZH_LAYERS[name] ?? name) : name;
}
