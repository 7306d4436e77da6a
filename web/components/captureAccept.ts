/** What the file pickers offer: the capture formats the readers know, compressed or not. */
export const CAPTURE_ACCEPT = '.pcap,.pcapng,.cap,.gz,.dmp,application/vnd.tcpdump.pcap';
