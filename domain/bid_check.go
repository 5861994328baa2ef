package domain

import "context"

// CheckBid validates in against tender id exactly as SubmitBid does and
// stores nothing: EINVALID listing every problem, or nil. It lets a
// front that reads a bid from a file list the file's own problems and the
// bid's together, without submitting a part of it. The deadline and the
// tender's state are SubmitBid's to check. Errors: ENOTFOUND, EINVALID.
func (s *TenderService) CheckBid(ctx context.Context, tenderID int64, in BidInput) error {
	t, err := s.Get(ctx, tenderID)
	if err != nil {
		return err
	}
	_, _, err = checkBid(t, in)
	return err
}
