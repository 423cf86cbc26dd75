/// SMBIOS structure table parsing (filled in by the SMBIOS work).
public enum SMBIOSPlaceholder {}
