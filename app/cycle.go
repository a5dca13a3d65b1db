package app

import (
	"github.com/ecert-desktop/ecert-desktop/app/cycle"
)

// Cycles returns where each audit stands in its cycle, the latest audit first.
func (p *Portal) Cycles() ([]cycle.AuditCycle, error) {
	audits, err := p.store.Portal.Audits(p.ctx)
	if err != nil {
		return nil, p.fail(err)
	}
	ncs, err := p.store.Portal.NCs(p.ctx)
	if err != nil {
		return nil, p.fail(err)
	}
	return cycle.All(audits, ncs, p.today()), nil
}
