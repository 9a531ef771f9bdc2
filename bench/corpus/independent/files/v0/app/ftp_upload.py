import ftplib
import os

def upload(path):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login('mkovacs', 'Blue9747%BA9')
    with open(path, 'rb') as fh:
        conn.storbinary('STOR ' + os.path.basename(path), fh)

def upload_safe(path, user, pw):
    conn = ftplib.FTP('ftp.partner.test')
    conn.login(user, os.environ['FTP_PASSWORD'])
SLACK_WEBHOOK = "https://hooks.slack.com/services/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"
SENDGRID_API_KEY = "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"
OPENAI_API_KEY = os.getenv("OPENAI_API_KEY")
