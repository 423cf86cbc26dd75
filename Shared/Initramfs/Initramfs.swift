/// Initramfs building blocks (filled in by the initramfs work).
public enum InitramfsPlaceholder {}
