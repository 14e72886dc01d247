// A mapping borrowed from the device in probe cannot be kept in 'static driver data: only its
// Devres form can.
// expect: lifetime may not live long enough
struct Kept {
    _regs: amba::IoMem<'static, REGS_SIZE>,
}

fn misuse(adev: &amba::Device<Core<'_>>) -> Result<Kept> {
    Ok(Kept {
        _regs: adev.iomap_regions::<REGS_SIZE>()?,
    })
}
