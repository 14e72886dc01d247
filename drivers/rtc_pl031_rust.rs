// SPDX-License-Identifier: GPL-2.0

//! Driver for the ARM PrimeCell PL031 real-time clock and its ST variants.
//!
//! The ARM PL031 and the first ST variant count seconds since 1970 in a 32-bit register, so they
//! hold 1970-01-01 to 2106-02-07 06:28:15 UTC. The second ST variant keeps the date and time in
//! bit fields and the year in BCD, for years 0000 to 9999. Conversions go through the RTC core's
//! helpers, as in the C driver.
//!
//! An alarm past the end of a 32-bit counter's range gets `ERANGE`, where the C driver programs
//! the value truncated to 32 bits, an alarm at a wrong time. `RTC_ALM_SET` and `RTC_WKALM_SET`
//! never get that far (the RTC core checks the range first), but the core's timer queue
//! (alarmtimers, update interrupt emulation) programs alarms without that check.
//!
//! Datasheet: ARM PrimeCell Real Time Clock (PL031) Technical Reference Manual.

use kernel::{
    amba, c_str,
    device::{Bound, Core, Device},
    devres::Devres,
    io::{Io, Mmio},
    irq::{self, IrqReturn},
    prelude::*,
    rtc::{self, Time, WakeAlarm},
    sync::{aref::ARef, Arc},
};

/// Data read register: the current time.
const RTC_DR: usize = 0x00;
/// Match register: the alarm time.
const RTC_MR: usize = 0x04;
/// Data load register: sets the time.
const RTC_LR: usize = 0x08;
/// Control register.
const RTC_CR: usize = 0x0c;
/// Interrupt mask set and clear register.
const RTC_IMSC: usize = 0x10;
/// Raw interrupt status register.
const RTC_RIS: usize = 0x14;
/// Masked interrupt status register.
const RTC_MIS: usize = 0x18;
/// Interrupt clear register.
const RTC_ICR: usize = 0x1c;
/// Year data read register (ST v2).
const RTC_YDR: usize = 0x30;
/// Year match register (ST v2).
const RTC_YMR: usize = 0x34;
/// Year data load register (ST v2).
const RTC_YLR: usize = 0x38;
/// The size of the register block the driver uses.
const REGS_SIZE: usize = 0x3c;

/// Counter enable.
const CR_EN: u32 = 1 << 0;
/// Clockwatch enable (ST variants).
const CR_CWEN: u32 = 1 << 26;
/// Alarm interrupt bit of IMSC, RIS, MIS and ICR.
const BIT_AI: u32 = 1 << 0;

/// ST v2 time register fields: (shift, mask after shifting).
const SEC: (u32, u32) = (0, 0x3f);
const MIN: (u32, u32) = (6, 0x3f);
const HOUR: (u32, u32) = (12, 0x1f);
const WDAY: (u32, u32) = (17, 0x7);
const MDAY: (u32, u32) = (20, 0x1f);
const MON: (u32, u32) = (25, 0xf);

/// The driver's name on the AMBA bus, in `/proc/iomem` and in `/proc/interrupts`: the C
/// driver's, so that the two are interchangeable for user space.
const NAME: &CStr = c_str!("rtc-pl031");

/// Register access, implemented by the MMIO region and by the KUnit fake register file.
trait Registers {
    fn read32(&self, offset: usize) -> u32;
    fn write32(&self, value: u32, offset: usize);
}

impl Registers for Mmio<REGS_SIZE> {
    #[inline(always)]
    fn read32(&self, offset: usize) -> u32 {
        Io::read32(self, offset)
    }

    #[inline(always)]
    fn write32(&self, value: u32, offset: usize) {
        Io::write32(self, value, offset)
    }
}

/// What differs between the ARM PL031 and the ST derivatives.
struct Variant {
    /// Enable with the clockwatch bit rather than the counter enable bit.
    clockwatch: bool,
    /// The reset value has a wrong weekday for 2000-01-01 that must be corrected.
    st_weekday: bool,
    /// Calendar registers with a BCD year (ST v2) instead of a seconds counter.
    calendar: bool,
    /// The interrupt line is shared with another block, whose interrupt must not be suspended.
    shared_irq: bool,
    range_min: i64,
    range_max: u64,
}

static ARM: Variant = Variant {
    clockwatch: false,
    st_weekday: false,
    calendar: false,
    shared_irq: false,
    range_min: 0,
    range_max: u32::MAX as u64,
};

static ST_V1: Variant = Variant {
    clockwatch: true,
    st_weekday: true,
    calendar: false,
    shared_irq: false,
    range_min: 0,
    range_max: u32::MAX as u64,
};

static ST_V2: Variant = Variant {
    clockwatch: true,
    st_weekday: true,
    calendar: true,
    shared_irq: true,
    range_min: rtc::TIMESTAMP_BEGIN_0000,
    range_max: rtc::TIMESTAMP_END_9999,
};

/// Converts a counter value to calendar time, with the RTC core's `rtc_time64_to_tm()`.
fn secs_to_time(secs: u32) -> Time {
    Time::from_time64(secs.into())
}

/// Converts calendar time to a counter value, with `rtc_tm_to_time64()`.
///
/// Returns `ERANGE` outside 1970-01-01 to 2106-02-07 06:28:15, as the RTC core does for the
/// device's range, rather than truncate.
fn time_to_secs(tm: &Time) -> Result<u32> {
    u32::try_from(tm.to_time64()).map_err(|_| ERANGE)
}

fn field(reg: u32, (shift, mask): (u32, u32)) -> u32 {
    (reg >> shift) & mask
}

/// Encodes calendar time as the ST v2 time register and BCD year register.
///
/// A weekday of -1 means "unknown" and is computed; other values outside 0 to 6 get `EINVAL`, as
/// the hardware cannot mask the weekday. Fields the register cannot hold get `EINVAL`, years
/// outside 0000 to 9999 `ERANGE`: the RTC core checks both before calling the driver.
fn time_to_stv2(tm: &Time) -> Result<(u32, u32)> {
    let year = u32::try_from(i64::from(tm.year()) + 1900).map_err(|_| ERANGE)?;
    if year > 9999 {
        return Err(ERANGE);
    }
    let wday = match tm.wday() {
        -1 => Time::from_time64(tm.to_time64()).wday(),
        wday @ 0..=6 => wday,
        _ => return Err(EINVAL),
    };
    let bcd_year = u32::from(rtc::bin2bcd(year % 100)) | u32::from(rtc::bin2bcd(year / 100)) << 8;
    let fields = [
        (i64::from(tm.mon()) + 1, MON),
        (tm.mday().into(), MDAY),
        (i64::from(wday) + 1, WDAY),
        (tm.hour().into(), HOUR),
        (tm.min().into(), MIN),
        (tm.sec().into(), SEC),
    ];
    let mut reg = 0;
    for (value, (shift, mask)) in fields {
        let value = u32::try_from(value).map_err(|_| EINVAL)?;
        if value > mask {
            return Err(EINVAL);
        }
        reg |= value << shift;
    }
    Ok((reg, bcd_year))
}

/// Decodes the ST v2 time register and BCD year register, as the C driver does.
///
/// Any register value decodes: nibbles above 9 follow C's `bcd2bin()`, and out-of-range fields
/// give a time the RTC core rejects as invalid. A month outside 1 to 12 gets `EINVAL`, where C
/// would read past the end of the day-of-year table.
fn stv2_to_time(reg: u32, bcd_year: u32) -> Result<Time> {
    let [low, high, ..] = bcd_year.to_le_bytes();
    let year = rtc::bcd2bin(low) + rtc::bcd2bin(high) * 100;
    let mon = field(reg, MON).checked_sub(1).ok_or(EINVAL)?;
    let mday = field(reg, MDAY);
    let mut tm = Time::default();
    // Counted from 0, with rtc_year_days(), as the C driver does for this variant.
    tm.set_yday(Time::year_days(mday, mon, year)?);
    // Every field fits in an `i32`: the masks are at most six bits wide, the year 9999 * 100.
    tm.set_mon(mon as i32);
    tm.set_mday(mday as i32);
    tm.set_wday(field(reg, WDAY) as i32 - 1);
    tm.set_hour(field(reg, HOUR) as i32);
    tm.set_min(field(reg, MIN) as i32);
    tm.set_sec(field(reg, SEC) as i32);
    tm.set_year(year as i32 - 1900);
    Ok(tm)
}

/// The PL031 hardware: the logic of the driver over a register file.
struct Pl031<'a, R> {
    regs: &'a R,
    variant: &'static Variant,
}

impl<R: Registers> Pl031<'_, R> {
    /// Starts the clock, and on ST variants corrects the reset weekday of 2000-01-01.
    fn enable(&self) {
        let cr = self.regs.read32(RTC_CR);
        let enable = if self.variant.clockwatch {
            CR_CWEN
        } else {
            CR_EN
        };
        self.regs.write32(cr | enable, RTC_CR);

        // The reset value says 2000-01-01 is a Sunday (weekday field 1); it was a Saturday (7).
        if self.variant.st_weekday && self.regs.read32(RTC_YDR) == 0x2000 {
            let time = self.regs.read32(RTC_DR);
            let date_mask = (MON.1 << MON.0) | (MDAY.1 << MDAY.0) | (WDAY.1 << WDAY.0);
            if time & date_mask == 0x0212_0000 {
                self.regs.write32(0x2000, RTC_YLR);
                self.regs.write32(time | (7 << WDAY.0), RTC_LR);
            }
        }
    }

    fn read_time(&self) -> Result<Time> {
        if self.variant.calendar {
            stv2_to_time(self.regs.read32(RTC_DR), self.regs.read32(RTC_YDR))
        } else {
            Ok(secs_to_time(self.regs.read32(RTC_DR)))
        }
    }

    fn set_time(&self, tm: &Time) -> Result {
        if self.variant.calendar {
            let (time, bcd_year) = time_to_stv2(tm)?;
            self.regs.write32(bcd_year, RTC_YLR);
            self.regs.write32(time, RTC_LR);
        } else {
            self.regs.write32(time_to_secs(tm)?, RTC_LR);
        }
        Ok(())
    }

    fn read_alarm(&self, alarm: &mut WakeAlarm) -> Result {
        let time = if self.variant.calendar {
            stv2_to_time(self.regs.read32(RTC_MR), self.regs.read32(RTC_YMR))?
        } else {
            secs_to_time(self.regs.read32(RTC_MR))
        };
        alarm.set_time(time);
        alarm.set_pending(self.regs.read32(RTC_RIS) & BIT_AI != 0);
        alarm.set_enabled(self.regs.read32(RTC_IMSC) & BIT_AI != 0);
        Ok(())
    }

    fn set_alarm(&self, alarm: &WakeAlarm) -> Result {
        if self.variant.calendar {
            let (time, bcd_year) = time_to_stv2(&alarm.time())?;
            self.regs.write32(bcd_year, RTC_YMR);
            self.regs.write32(time, RTC_MR);
        } else {
            self.regs.write32(time_to_secs(&alarm.time())?, RTC_MR);
        }
        self.alarm_irq_enable(alarm.enabled());
        Ok(())
    }

    /// Clears a pending alarm interrupt, then masks or unmasks it.
    fn alarm_irq_enable(&self, enabled: bool) {
        self.regs.write32(BIT_AI, RTC_ICR);
        let imsc = self.regs.read32(RTC_IMSC);
        let imsc = if enabled {
            imsc | BIT_AI
        } else {
            imsc & !BIT_AI
        };
        self.regs.write32(imsc, RTC_IMSC);
    }

    /// Acknowledges an alarm interrupt. Returns whether there was one.
    fn ack_alarm_irq(&self) -> bool {
        if self.regs.read32(RTC_MIS) & BIT_AI == 0 {
            return false;
        }
        self.regs.write32(BIT_AI, RTC_ICR);
        true
    }
}

/// The register mapping, usable while the device is bound.
type Regs = Devres<amba::IoMem<'static, REGS_SIZE>>;

/// The data of the RTC operations.
struct Pl031Rtc {
    regs: Arc<Regs>,
    variant: &'static Variant,
}

impl Pl031Rtc {
    fn hw<'a>(&'a self, parent: &'a Device<Bound>) -> Result<Pl031<'a, Mmio<REGS_SIZE>>> {
        Ok(Pl031 {
            regs: self.regs.access(parent)?,
            variant: self.variant,
        })
    }
}

#[vtable]
impl rtc::Operations for Pl031Rtc {
    fn read_time(&self, parent: &Device<Bound>, tm: &mut Time) -> Result {
        *tm = self.hw(parent)?.read_time()?;
        Ok(())
    }

    fn set_time(&self, parent: &Device<Bound>, tm: &Time) -> Result {
        self.hw(parent)?.set_time(tm)
    }

    fn read_alarm(&self, parent: &Device<Bound>, alarm: &mut WakeAlarm) -> Result {
        self.hw(parent)?.read_alarm(alarm)
    }

    fn set_alarm(&self, parent: &Device<Bound>, alarm: &WakeAlarm) -> Result {
        self.hw(parent)?.set_alarm(alarm)
    }

    fn alarm_irq_enable(&self, parent: &Device<Bound>, enabled: bool) -> Result {
        self.hw(parent)?.alarm_irq_enable(enabled);
        Ok(())
    }
}

/// The alarm interrupt handler. It may run before the RTC device is registered.
#[pin_data]
struct AlarmIrq {
    regs: Arc<Regs>,
    rtc: ARef<rtc::Device>,
    variant: &'static Variant,
}

impl irq::Handler for AlarmIrq {
    fn handle(&self, dev: &Device<Bound>) -> IrqReturn {
        let Ok(regs) = self.regs.access(dev) else {
            return IrqReturn::None;
        };
        let hw = Pl031 {
            regs: &**regs,
            variant: self.variant,
        };
        if !hw.ack_alarm_irq() {
            return IrqReturn::None;
        }
        match self.rtc.update_irq(dev, 1, rtc::Events::ALARM) {
            Ok(()) => IrqReturn::Handled,
            Err(_) => IrqReturn::None,
        }
    }
}

/// The driver, bound to a PL031. Dropped in the bus's `remove()`: the wake interrupt is cleared,
/// then the interrupt freed, before the bus turns the clock off. The RTC device is unregistered
/// after that, and its operations' data dropped, by the device-managed entries of its parent.
struct Pl031Driver {
    _wakeup: Option<irq::Wakeup>,
    _irq: Option<Pin<KBox<irq::Registration<AlarmIrq>>>>,
}

impl amba::Driver for Pl031Driver {
    type IdInfo = &'static Variant;

    const ID_TABLE: &'static [amba::DeviceId<Self::IdInfo>] = &[
        amba::DeviceId {
            id: 0x0004_1031,
            mask: 0x000f_ffff,
            info: &ARM,
        },
        amba::DeviceId {
            id: 0x0018_0031,
            mask: 0x00ff_ffff,
            info: &ST_V1,
        },
        amba::DeviceId {
            id: 0x0028_0031,
            mask: 0x00ff_ffff,
            info: &ST_V2,
        },
    ];

    fn probe(adev: &amba::Device<Core<'_>>, variant: &Self::IdInfo) -> Result<Pin<KBox<Self>>> {
        let dev: &Device<Bound> = adev.as_ref();
        let iomem = adev.iomap_regions::<REGS_SIZE>()?;
        Pl031 {
            regs: &*iomem,
            variant,
        }
        .enable();
        let regs = Arc::new(iomem.into_devres()?, GFP_KERNEL)?;

        let irq = adev.irq_by_index(0).ok();
        let irq_number = irq.as_ref().map(|request| request.irq());

        let mut rtc = rtc::Allocation::new(
            dev,
            Pl031Rtc {
                regs: regs.clone(),
                variant,
            },
        )?;
        rtc.set_range(variant.range_min, variant.range_max);
        if irq.is_none() {
            rtc.clear_feature(rtc::Feature::Alarm);
        }

        let irq_flags = if variant.shared_irq {
            irq::Flags::SHARED | irq::Flags::COND_SUSPEND
        } else {
            irq::Flags::TRIGGER_NONE
        };
        // Before the device is registered: nothing may fail after that.
        let rtc_dev = rtc.device().clone();
        let irq = irq
            .map(|request| {
                let handler = try_pin_init!(AlarmIrq {
                    regs: Arc::clone(&regs),
                    rtc: rtc_dev,
                    variant: *variant,
                });
                KBox::pin_init(
                    irq::Registration::new(request, irq_flags, NAME, handler),
                    GFP_KERNEL,
                )
            })
            .transpose()?;
        // As in C, a device that cannot wake the system still works as a clock.
        let wakeup = irq::Wakeup::new(dev, irq_number).ok();

        let this = KBox::pin(
            Self {
                _wakeup: wakeup,
                _irq: irq,
            },
            GFP_KERNEL,
        )?;

        // Last: nothing fails once user space can see the device.
        rtc.register(&THIS_MODULE)?;
        Ok(this)
    }
}

kernel::module_amba_driver! {
    type: Pl031Driver,
    driver: "rtc-pl031",
    name: "rtc_pl031_rust",
    authors: ["PL031 Team"],
    description: "ARM PrimeCell PL031 RTC driver, in Rust",
    license: "GPL",
}

#[kunit_tests(rtc_pl031_rust)]
mod tests {
    use super::*;
    use core::cell::Cell;

    const REG_COUNT: usize = REGS_SIZE / 4;

    /// A register file in memory that records the last value written to each register.
    struct FakeRegs {
        values: [Cell<u32>; REG_COUNT],
        written: [Cell<Option<u32>>; REG_COUNT],
    }

    impl FakeRegs {
        fn new() -> Self {
            Self {
                values: Default::default(),
                written: Default::default(),
            }
        }

        fn set(&self, offset: usize, value: u32) {
            self.values[offset / 4].set(value);
        }

        fn written(&self, offset: usize) -> Option<u32> {
            self.written[offset / 4].get()
        }
    }

    impl Registers for FakeRegs {
        fn read32(&self, offset: usize) -> u32 {
            self.values[offset / 4].get()
        }

        fn write32(&self, value: u32, offset: usize) {
            self.values[offset / 4].set(value);
            self.written[offset / 4].set(Some(value));
        }
    }

    fn pl031<'a>(regs: &'a FakeRegs, variant: &'static Variant) -> Pl031<'a, FakeRegs> {
        Pl031 { regs, variant }
    }

    fn date(year: i32, mon: i32, mday: i32, hour: i32, min: i32, sec: i32) -> Time {
        let mut tm = Time::default();
        tm.set_year(year - 1900);
        tm.set_mon(mon - 1);
        tm.set_mday(mday);
        tm.set_hour(hour);
        tm.set_min(min);
        tm.set_sec(sec);
        tm
    }

    fn ymdhms(tm: &Time) -> (i32, i32, i32, i32, i32, i32) {
        (
            tm.year() + 1900,
            tm.mon() + 1,
            tm.mday(),
            tm.hour(),
            tm.min(),
            tm.sec(),
        )
    }

    /// Writes `want` through `set_time`, checks the counter value, and reads it back.
    fn round_trip(secs: u32, want: Time) {
        let regs = FakeRegs::new();
        let hw = pl031(&regs, &ARM);
        assert!(hw.set_time(&want).is_ok());
        assert_eq!(regs.written(RTC_LR), Some(secs));
        regs.set(RTC_DR, secs);
        let back = hw.read_time();
        assert!(back.is_ok());
        if let Ok(back) = back {
            assert_eq!(ymdhms(&back), ymdhms(&want));
            assert!(back.is_valid());
        }
    }

    #[test]
    fn boundary_epoch() {
        round_trip(0, date(1970, 1, 1, 0, 0, 0));
    }

    #[test]
    fn boundary_2038_last_signed_second() {
        round_trip(0x7fff_ffff, date(2038, 1, 19, 3, 14, 7));
    }

    #[test]
    fn boundary_2038_first_unsigned_second() {
        round_trip(0x8000_0000, date(2038, 1, 19, 3, 14, 8));
    }

    #[test]
    fn boundary_2106_last_second() {
        round_trip(u32::MAX, date(2106, 2, 7, 6, 28, 15));
    }

    #[test]
    fn boundary_leap_day_2000() {
        round_trip(951_782_400, date(2000, 2, 29, 0, 0, 0));
    }

    #[test]
    fn boundary_2100_is_not_leap() {
        round_trip(4_107_456_000, date(2100, 2, 28, 0, 0, 0));
        round_trip(4_107_542_400, date(2100, 3, 1, 0, 0, 0));
    }

    #[test]
    fn set_time_rejects_beyond_u32_max() {
        let regs = FakeRegs::new();
        let result = pl031(&regs, &ARM).set_time(&date(2106, 2, 7, 6, 28, 16));
        assert_eq!(result.err(), Some(ERANGE));
        assert_eq!(regs.written(RTC_LR), None);
    }

    #[test]
    fn set_time_rejects_before_epoch() {
        let regs = FakeRegs::new();
        let result = pl031(&regs, &ST_V1).set_time(&date(1969, 12, 31, 23, 59, 59));
        assert_eq!(result.err(), Some(ERANGE));
        assert_eq!(regs.written(RTC_LR), None);
    }

    #[test]
    fn enable_sets_counter_enable() {
        let regs = FakeRegs::new();
        regs.set(RTC_CR, 0x10);
        pl031(&regs, &ARM).enable();
        assert_eq!(regs.written(RTC_CR), Some(0x10 | CR_EN));
    }

    #[test]
    fn enable_st_uses_clockwatch_and_fixes_weekday() {
        let regs = FakeRegs::new();
        regs.set(RTC_YDR, 0x2000);
        // 2000-01-01 00:00:00 with the wrong reset weekday (Sunday).
        regs.set(RTC_DR, 0x0212_0000);
        pl031(&regs, &ST_V2).enable();
        assert_eq!(regs.written(RTC_CR), Some(CR_CWEN));
        assert_eq!(regs.written(RTC_YLR), Some(0x2000));
        assert_eq!(regs.written(RTC_LR), Some(0x021e_0000));
    }

    #[test]
    fn set_alarm_programs_mr_and_unmasks() {
        let regs = FakeRegs::new();
        let mut alarm = WakeAlarm::default();
        alarm.set_time(date(2030, 1, 1, 0, 0, 10));
        alarm.set_enabled(true);
        assert!(pl031(&regs, &ARM).set_alarm(&alarm).is_ok());
        assert_eq!(regs.written(RTC_MR), Some(1_893_456_010));
        // A pending alarm is cleared before the alarm is unmasked.
        assert_eq!(regs.written(RTC_ICR), Some(BIT_AI));
        assert_eq!(regs.written(RTC_IMSC), Some(BIT_AI));
    }

    #[test]
    fn set_alarm_disabled_masks_only_the_alarm() {
        let regs = FakeRegs::new();
        regs.set(RTC_IMSC, BIT_AI | 0x2);
        let mut alarm = WakeAlarm::default();
        alarm.set_time(date(2030, 1, 1, 0, 0, 10));
        assert!(pl031(&regs, &ARM).set_alarm(&alarm).is_ok());
        assert_eq!(regs.written(RTC_IMSC), Some(0x2));
    }

    /// Past 2106-02-07 06:28:15 the counter cannot hold the alarm: C would program it truncated
    /// to 32 bits, an alarm in 1970; the driver refuses and leaves the hardware alone.
    #[test]
    fn set_alarm_rejects_beyond_u32_max() {
        for variant in [&ARM, &ST_V1] {
            let regs = FakeRegs::new();
            let mut alarm = WakeAlarm::default();
            alarm.set_time(date(2106, 2, 7, 6, 28, 16));
            alarm.set_enabled(true);
            assert_eq!(pl031(&regs, variant).set_alarm(&alarm).err(), Some(ERANGE));
            assert_eq!(regs.written(RTC_MR), None);
            assert_eq!(regs.written(RTC_IMSC), None);
        }
    }

    #[test]
    fn read_alarm_reports_enabled_and_pending() {
        let regs = FakeRegs::new();
        let hw = pl031(&regs, &ARM);
        regs.set(RTC_MR, 1_893_456_010);
        regs.set(RTC_IMSC, BIT_AI);
        regs.set(RTC_RIS, BIT_AI);
        let mut alarm = WakeAlarm::default();
        assert!(hw.read_alarm(&mut alarm).is_ok());
        assert!(alarm.enabled());
        assert!(alarm.pending());
        assert_eq!(ymdhms(&alarm.time()), (2030, 1, 1, 0, 0, 10));

        regs.set(RTC_IMSC, 0);
        regs.set(RTC_RIS, 0);
        assert!(hw.read_alarm(&mut alarm).is_ok());
        assert!(!alarm.enabled());
        assert!(!alarm.pending());
    }

    #[test]
    fn irq_acks_alarm() {
        let regs = FakeRegs::new();
        regs.set(RTC_MIS, BIT_AI);
        assert!(pl031(&regs, &ARM).ack_alarm_irq());
        assert_eq!(regs.written(RTC_ICR), Some(BIT_AI));
    }

    #[test]
    fn irq_ignores_other_sources() {
        let regs = FakeRegs::new();
        // Raw but masked: MIS is clear, so the interrupt is not ours (the line may be shared).
        regs.set(RTC_RIS, BIT_AI);
        assert!(!pl031(&regs, &ST_V2).ack_alarm_irq());
        assert_eq!(regs.written(RTC_ICR), None);
    }

    #[test]
    fn stv2_bcd_layout() {
        let regs = FakeRegs::new();
        let hw = pl031(&regs, &ST_V2);
        // 2024-03-15 12:34:56, a Friday.
        let mut tm = date(2024, 3, 15, 12, 34, 56);
        tm.set_wday(5);
        assert!(hw.set_time(&tm).is_ok());
        let want = (3 << 25) | (15 << 20) | (6 << 17) | (12 << 12) | (34 << 6) | 56;
        assert_eq!(regs.written(RTC_LR), Some(want));
        assert_eq!(regs.written(RTC_YLR), Some(0x2024));

        regs.set(RTC_DR, want);
        regs.set(RTC_YDR, 0x2024);
        let back = hw.read_time();
        assert!(back.is_ok());
        if let Ok(back) = back {
            assert_eq!(ymdhms(&back), (2024, 3, 15, 12, 34, 56));
            assert_eq!(back.wday(), 5);
            // Counted from 0 for this variant, as rtc_year_days() does.
            assert_eq!(back.yday(), 74);
        }
    }

    #[test]
    fn stv2_computes_unknown_weekday() {
        let mut tm = date(2000, 1, 1, 0, 0, 0);
        tm.set_wday(-1);
        // Saturday is 6, stored plus one.
        assert_eq!(
            time_to_stv2(&tm).map(|(reg, _)| field(reg, WDAY)).ok(),
            Some(7)
        );
    }

    #[test]
    fn stv2_rejects_bad_weekday() {
        let regs = FakeRegs::new();
        let mut tm = date(2024, 3, 15, 0, 0, 0);
        tm.set_wday(7);
        assert_eq!(pl031(&regs, &ST_V2).set_time(&tm).err(), Some(EINVAL));
        assert_eq!(regs.written(RTC_LR), None);
    }

    #[test]
    fn stv2_years_0000_and_9999() {
        for (year, bcd) in [(0, 0x0000), (9999, 0x9999)] {
            let mut tm = date(year, 12, 31, 23, 59, 59);
            tm.set_wday(-1);
            let encoded = time_to_stv2(&tm);
            assert_eq!(encoded.map(|(_, y)| y).ok(), Some(bcd));
            if let Ok((reg, bcd_year)) = encoded {
                assert_eq!(
                    stv2_to_time(reg, bcd_year).map(|tm| tm.year()).ok(),
                    Some(year - 1900)
                );
            }
        }
    }

    #[test]
    fn stv2_rejects_year_10000() {
        let mut tm = date(10000, 1, 1, 0, 0, 0);
        tm.set_wday(-1);
        assert_eq!(time_to_stv2(&tm).err(), Some(ERANGE));
    }

    /// ST v2 registers holding `mon` and `mday` in their fields, at 12:00:00, in 2024.
    fn stv2_regs(mon: u32, mday: u32) -> FakeRegs {
        let regs = FakeRegs::new();
        let time = (mon << MON.0) | (mday << MDAY.0) | (1 << WDAY.0) | (12 << HOUR.0);
        regs.set(RTC_DR, time);
        regs.set(RTC_MR, time);
        regs.set(RTC_YDR, 0x2024);
        regs.set(RTC_YMR, 0x2024);
        regs
    }

    /// Reads the time and the alarm; both must agree, as they decode the same way.
    fn stv2_read(regs: &FakeRegs) -> Result<Time> {
        let hw = pl031(regs, &ST_V2);
        let mut alarm = WakeAlarm::default();
        let alarm = hw.read_alarm(&mut alarm).map(|()| alarm.time());
        let time = hw.read_time();
        assert_eq!(time.as_ref().err(), alarm.as_ref().err());
        time
    }

    /// Months 0, 13 and 15 in the 4-bit field: C would index past the end of its day-of-year
    /// table; the driver returns `EINVAL`, which is also what the RTC core returns for C's
    /// invalid time.
    #[test]
    fn garbage_stv2_month_out_of_range_is_einval() {
        for mon in [0, 13, 15] {
            assert_eq!(stv2_read(&stv2_regs(mon, 1)).err(), Some(EINVAL));
        }
    }

    /// Day 0 of March is where C's days-from-civil underflow was: it decodes as C does, to a
    /// time the RTC core rejects as invalid, without a panic.
    #[test]
    fn garbage_stv2_day_0_decodes_as_c() {
        let time = stv2_read(&stv2_regs(3, 0));
        assert!(time.is_ok());
        if let Ok(time) = time {
            assert_eq!((time.mon(), time.mday()), (2, 0));
            // rtc_year_days(0, 2, 2024): 31 + 29 + 0 - 1.
            assert_eq!(time.yday(), 59);
            assert!(!time.is_valid());
        }
    }

    /// Days 30 and 31 in February, and 31 in the 5-bit field of any month, decode; days past
    /// the month's end are invalid.
    #[test]
    fn garbage_stv2_day_past_month_end_is_invalid() {
        for (mon, mday) in [(2, 30), (2, 31), (4, 31)] {
            let time = stv2_read(&stv2_regs(mon, mday));
            assert!(time.is_ok());
            if let Ok(time) = time {
                assert_eq!(time.mday(), mday as i32);
                assert!(!time.is_valid());
            }
        }
        // The last valid day decodes to a valid time.
        assert!(stv2_read(&stv2_regs(12, 31))
            .map(|t| t.is_valid())
            .unwrap_or(false));
    }

    /// BCD nibbles above 9 decode with C's bcd2bin(), nibble by nibble: 0xaf is 10 * 10 + 15.
    #[test]
    fn garbage_stv2_bcd_nibbles_above_9_decode_as_c() {
        let regs = stv2_regs(1, 1);
        regs.set(RTC_YDR, 0xffaf);
        regs.set(RTC_YMR, 0xffaf);
        let time = stv2_read(&regs);
        assert_eq!(time.map(|t| t.year() + 1900).ok(), Some(115 + 165 * 100));
    }

    /// Every register all ones: the counter variants read 2106-02-07 06:28:15; ST v2 has month
    /// 15 and gets `EINVAL`.
    #[test]
    fn garbage_all_ones_registers() {
        for variant in [&ARM, &ST_V1, &ST_V2] {
            let regs = FakeRegs::new();
            for offset in (0..REGS_SIZE).step_by(4) {
                regs.set(offset, u32::MAX);
            }
            let hw = pl031(&regs, variant);
            let mut alarm = WakeAlarm::default();
            let alarm = hw.read_alarm(&mut alarm).map(|()| alarm);
            let time = hw.read_time();
            if variant.calendar {
                assert_eq!(time.err(), Some(EINVAL));
                assert_eq!(alarm.err(), Some(EINVAL));
            } else {
                assert_eq!(time.map(|t| ymdhms(&t)).ok(), Some((2106, 2, 7, 6, 28, 15)));
                assert!(alarm.is_ok());
                if let Ok(alarm) = alarm {
                    assert_eq!(ymdhms(&alarm.time()), (2106, 2, 7, 6, 28, 15));
                    assert!(alarm.enabled() && alarm.pending());
                }
            }
            // The interrupt path copes too: MIS all ones is an alarm to acknowledge.
            assert!(hw.ack_alarm_irq());
        }
    }

    /// Counter values over the whole 32-bit range decode and encode back, past 2038 too.
    #[test]
    fn counter_round_trips_over_the_whole_range() {
        let mut x: u32 = 0x2545_f491;
        for _ in 0..2000 {
            // xorshift32
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let tm = secs_to_time(x);
            assert_eq!(tm.to_time64(), i64::from(x));
            assert_eq!(time_to_secs(&tm).ok(), Some(x));
        }
    }
}
