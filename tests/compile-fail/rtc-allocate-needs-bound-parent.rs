// An RTC device can only be allocated for a bound parent.
// expect: expected `&Device<Bound>`, found `&Device`
fn misuse(parent: &kernel::device::Device, regs: Arc<Regs>) -> Result {
    let _rtc = rtc::Allocation::new(
        parent,
        Pl031Rtc {
            regs,
            variant: &ARM,
        },
    )?;
    Ok(())
}
