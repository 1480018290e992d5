"""allauth's forms where the portal needs more than its adapter can give (ACCOUNT_FORMS)."""

from allauth.account.forms import AddEmailForm as BaseAddEmailForm
from allauth.account.forms import ResetPasswordForm as BaseResetPasswordForm
from allauth.account.forms import SignupForm as BaseSignupForm
from django import forms

from portal.adapters import email_in_use, owns_email

EMAIL_UNAVAILABLE = "This address cannot be used for your account. Choose another one."


class SignupForm(BaseSignupForm):
    def validate_unique_email(self, value):
        email = super().validate_unique_email(value)
        if email_in_use(email):
            # allauth compares User.email case-sensitively on PostgreSQL: an address held in another
            # case takes the same path as an exact one (a mail to the owner, nothing on the page).
            self.account_already_exists = True
        return email


class AddEmailForm(BaseAddEmailForm):
    def clean_email(self):
        email = super().clean_email()
        if email_in_use(email, exclude_user=self.user):
            raise forms.ValidationError(EMAIL_UNAVAILABLE, code="email_taken")
        return email


class ResetPasswordForm(BaseResetPasswordForm):
    def clean_email(self):
        email = super().clean_email()
        # Only the account the address signs in to gets a link, never one that merely listed it.
        self.users = [user for user in self.users if owns_email(user, email)]
        return email
