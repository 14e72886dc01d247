// A register mapping cannot be read with a device that is not known to be bound: the
// `&Device<Bound>` is the proof that the mapping is still there.
// expect: expected `&Device<Bound>`, found `&Device`
fn misuse(dev: &kernel::device::Device, regs: &Regs) -> Result<u32> {
    Ok(regs.access(dev)?.read32(RTC_DR))
}
