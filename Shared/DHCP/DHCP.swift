/// DHCPv4 (filled in by the DHCP work).
public enum DHCPPlaceholder {}
