//go:build integration

package integration

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hpcontest/contest/internal/testenv"
)

// runAccounts runs `contest accounts ARGS…` against the stack's database.
func runAccounts(t *testing.T, s *testenv.Stack, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	bin, err := contestBinary()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, append([]string{"accounts"}, args...)...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+s.Store.Pool().Config().ConnConfig.ConnString())
	cmd.Stdin = strings.NewReader(stdin)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	return out.String(), errOut.String(), err
}

func staffCount(t *testing.T, s *testenv.Stack) int {
	t.Helper()
	var n int
	if err := s.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM users WHERE role <> 'participant'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Staff accounts come from the command line: the printed passwords log in, each account
// has its role, a focal point its agency; a bad file, a taken phone number or an unknown
// agency creates nothing.
func TestAccountsCommandCreatesStaffThatCanLogIn(t *testing.T) {
	s := testenv.New(t, testenv.Options{NoWorker: true})
	ag := agencyIDsByCode(t, s)
	file := filepath.Join(t.TempDir(), "can-bo.csv")
	phones := []string{testenv.UniquePhone(), testenv.UniquePhone(), testenv.UniquePhone()}
	if err := os.WriteFile(file, []byte("full_name,phone,role,agency_code\n"+
		"Đầu mối Hồng Bàng,+84 "+phones[0][1:]+",agency,q-hong-bang\n"+
		"Giám khảo Một,"+phones[1]+",jury,\n"+
		"Ủy viên Ban Tổ chức,"+phones[2]+",committee,\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	before := staffCount(t, s)
	out, stderr, err := runAccounts(t, s, "", "import", file)
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	printed, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(printed) != 4 || strings.Join(printed[0], ",") != "full_name,phone,role,agency_code,password" {
		t.Fatalf("printed %q (%v)", out, err)
	}
	if got := staffCount(t, s) - before; got != 3 {
		t.Fatalf("%d staff accounts created, want 3", got)
	}
	wantRole := []string{"agency", "jury", "committee"}
	for i, row := range printed[1:] {
		if row[1] != phones[i] || row[2] != wantRole[i] || len(row[4]) < 12 {
			t.Fatalf("printed row %q", row)
		}
		c := s.NewClient(t)
		c.Login(row[1], row[4])
		var me struct {
			Role     string `json:"role"`
			AgencyID *int64 `json:"agency_id"`
		}
		c.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
		if me.Role != wantRole[i] {
			t.Errorf("%s logged in as %q, want %q", row[1], me.Role, wantRole[i])
		}
		if i == 0 {
			if me.AgencyID == nil || *me.AgencyID != ag["q-hong-bang"] {
				t.Errorf("focal point's agency %v, want %d", me.AgencyID, ag["q-hong-bang"])
			}
			c.Expect(http.StatusOK, "GET", "/api/v1/campaigns/"+s.Campaign.Code+"/participation", nil)
			if r := c.Do("GET", fmt.Sprintf("/api/v1/campaigns/%s/participation?agency_id=%d", s.Campaign.Code, ag["so-tu-phap"]), nil); r.Status != http.StatusForbidden {
				t.Errorf("focal point reading another agency: %d", r.Status)
			}
		}
		if i == 1 {
			if r := c.Do("POST", fmt.Sprintf("/api/v1/rounds/%d/attempts", s.CurrentRoundID(t)), nil); r.ErrorCode() != "not_a_participant" {
				t.Errorf("juror starting an attempt: %d %s", r.Status, r.Body)
			}
		}
	}

	// All or nothing: a new account next to a taken number, a participant's number, an
	// unknown agency — none is created, and no password is printed for the refused run.
	participant := testenv.UniquePhone()
	s.NewClient(t).Expect(http.StatusCreated, "POST", "/api/v1/participants", map[string]any{
		"full_name": "Vũ Văn G", "date_of_birth": "1991-01-01", "phone": participant,
		"agency_id": ag["q-hong-bang"], "position": "Chuyên viên", "password": "mat-khau-g",
	})
	fresh := testenv.UniquePhone()
	before = staffCount(t, s)
	for name, stdin := range map[string]string{
		"taken by staff":       "full_name,phone,role,agency_code\nMới," + fresh + ",jury,\nTrùng," + phones[1] + ",jury,\n",
		"taken by participant": "full_name,phone,role,agency_code\nMới," + fresh + ",jury,\nTrùng," + participant + ",committee,\n",
		"unknown agency":       "full_name,phone,role,agency_code\nMới," + fresh + ",jury,\nĐầu mối," + testenv.UniquePhone() + ",agency,khong-co\n",
		"bad line":             "full_name,phone,role,agency_code\nMới," + fresh + ",jury,\nSai,0912,jury,\n",
	} {
		out, stderr, err := runAccounts(t, s, stdin, "import", "-")
		if err == nil {
			t.Errorf("%s: import succeeded: %s", name, out)
		}
		if strings.Contains(out, fresh) && !strings.Contains(stderr, "no account created") {
			t.Errorf("%s: printed %q without saying nothing was created: %s", name, out, stderr)
		}
	}
	if got := staffCount(t, s); got != before {
		t.Fatalf("refused imports created %d accounts", got-before)
	}
	c := s.NewClient(t)
	c.Login(participant, "mat-khau-g")
	var me struct{ Role string }
	c.Expect(http.StatusOK, "GET", "/api/v1/me", nil).JSON(t, &me)
	if me.Role != "participant" {
		t.Fatalf("the participant's account became %q", me.Role)
	}

	// One account from flags.
	single := testenv.UniquePhone()
	out, stderr, err = runAccounts(t, s, "", "add", "--name", "Thư ký Hai", "--phone", single, "--role", "secretariat")
	if err != nil {
		t.Fatalf("add: %v\n%s", err, stderr)
	}
	rows, _ := csv.NewReader(strings.NewReader(out)).ReadAll()
	if len(rows) != 2 || rows[1][1] != single {
		t.Fatalf("add printed %q", out)
	}
	s.NewClient(t).Login(single, rows[1][4])
}
