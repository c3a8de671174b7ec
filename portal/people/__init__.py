"""People and accounts: staff roles, invitations and set-password links, bodies, organisations,
facilitators, members' logins, the secretariat's registrant lists and each person's start page.
"""
